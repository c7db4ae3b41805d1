import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameError, MAX_HISTORY_PAGE, parseClientFrame } from '../../src/protocol/index.js';

/** Parses and returns [reason, requestId] of the FrameError, or 'ok'. */
function outcome(text: string): string {
  try {
    parseClientFrame(text);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof FrameError, `expected a FrameError, got ${String(error)}`);
    return `${error.reason}#${error.requestId ?? '-'}`;
  }
}

const json = (value: unknown) => JSON.stringify(value);
const send = { t: 'peer.send', id: 5, to: 'bob', cmid: 'c-1', message: { type: 'TEXT', text: 'hi' } };

describe('parseClientFrame', () => {
  it('refuses malformed JSON with MALFORMED_FRAME and no request id', () => {
    assert.equal(outcome('{"t":"ping","id":1'), 'MALFORMED_FRAME#-');
    assert.equal(outcome(''), 'MALFORMED_FRAME#-');
    assert.equal(outcome('ping'), 'MALFORMED_FRAME#-');
  });

  it('refuses JSON that is not an object', () => {
    for (const text of ['[]', '[{"t":"ping","id":1}]', '1', 'null', '"ping"', 'true']) {
      assert.equal(outcome(text), 'MALFORMED_FRAME#-', text);
    }
  });

  it('refuses an unknown or missing t with UNKNOWN_FRAME, keeping the id', () => {
    assert.equal(outcome(json({ t: 'peer.explode', id: 9 })), 'UNKNOWN_FRAME#9');
    assert.equal(outcome(json({ id: 9 })), 'UNKNOWN_FRAME#9');
    assert.equal(outcome(json({ t: 42, id: 9 })), 'UNKNOWN_FRAME#9');
  });

  it('refuses a missing or unusable id with INVALID_FIELD and no request id', () => {
    for (const id of [undefined, -1, 1.5, '1', null, 2 ** 31]) {
      assert.equal(outcome(json({ t: 'ping', id })), 'INVALID_FIELD#-', String(id));
    }
    assert.equal(outcome(json({ t: 'ping', id: 0 })), 'ok');
    assert.equal(outcome(json({ t: 'ping', id: 2 ** 31 - 1 })), 'ok');
  });

  it('refuses fields of the wrong type', () => {
    assert.equal(outcome(json({ t: 'login', id: 1, appId: 'demo', uid: 7, token: 't' })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'login', id: 1, appId: 'demo', uid: 'a' })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'login', id: 1, appId: ['demo'], uid: 'a', token: 't' })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ ...send, to: 5 })), 'INVALID_FIELD#5');
    assert.equal(outcome(json({ ...send, offline: 'yes' })), 'INVALID_FIELD#5');
    assert.equal(outcome(json({ ...send, cmid: 12 })), 'INVALID_FIELD#5');
    assert.equal(outcome(json({ ...send, message: 'hi' })), 'INVALID_MESSAGE#5');
    assert.equal(outcome(json({ t: 'channel.join', id: 2, channel: { name: 'x' } })), 'INVALID_FIELD#2');
  });

  it('refuses a bad client message id', () => {
    assert.equal(outcome(json({ ...send, cmid: '' })), 'INVALID_CLIENT_MESSAGE_ID#5');
    assert.equal(outcome(json({ ...send, cmid: 'a b' })), 'INVALID_CLIENT_MESSAGE_ID#5');
    assert.equal(outcome(json({ ...send, cmid: 'x'.repeat(65) })), 'INVALID_CLIENT_MESSAGE_ID#5');
    assert.equal(outcome(json({ ...send, cmid: 'x'.repeat(64) })), 'ok');
  });

  it('checks history paging fields', () => {
    assert.equal(outcome(json({ t: 'history', id: 1, peer: 'bob', limit: MAX_HISTORY_PAGE })), 'ok');
    assert.equal(outcome(json({ t: 'history', id: 1, peer: 'bob', limit: MAX_HISTORY_PAGE + 1 })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'history', id: 1, peer: 'bob', limit: 0 })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'history', id: 1, peer: 'bob', limit: 5, beforeSeq: 0 })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'history', id: 1, peer: 'bob', channel: 'c', limit: 5 })), 'INVALID_FIELD#1');
    assert.equal(outcome(json({ t: 'history', id: 1, limit: 5 })), 'INVALID_FIELD#1');
  });

  it('returns a clean frame: defaults filled, unknown fields dropped', () => {
    assert.deepEqual(parseClientFrame(json({ ...send, extra: 'x' })), { ...send, offline: false });
    assert.deepEqual(parseClientFrame(json({ t: 'history', id: 1, channel: 'room' })), {
      t: 'history',
      id: 1,
      channel: 'room',
      limit: MAX_HISTORY_PAGE,
    });
  });
});
