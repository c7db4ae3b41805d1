import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameError, MAX_HISTORY_PAGE, MAX_PRESENCE_QUERY, parseClientFrame } from '../../src/protocol/index.js';

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
    assert.deepEqual(parseClientFrame(json({ ...send, extra: 'x' })), { ...send, offline: false, transient: false, needReadReceipt: true });
    assert.deepEqual(parseClientFrame(json({ t: 'history', id: 1, channel: 'room' })), {
      t: 'history',
      id: 1,
      channel: 'room',
      limit: MAX_HISTORY_PAGE,
    });
  });

  it('reads the send options: transient and needReadReceipt are booleans, and transient is never kept offline', () => {
    const channelSend = { t: 'channel.send', id: 2, channel: 'room', cmid: 'c1', message: { type: 'TEXT', text: 'hi' } };
    for (const base of [send, channelSend]) {
      const parsed = parseClientFrame(json({ ...base, transient: true, needReadReceipt: false })) as unknown as Record<string, unknown>;
      assert.deepEqual([parsed.transient, parsed.needReadReceipt], [true, false], base.t);
      for (const bad of [{ transient: 1 }, { transient: 'true' }, { needReadReceipt: 0 }, { needReadReceipt: null }]) {
        assert.match(outcome(json({ ...base, ...bad })), /^INVALID_FIELD#/, `${base.t} ${JSON.stringify(bad)}`);
      }
    }
    assert.match(outcome(json({ ...send, transient: true, offline: true })), /^INVALID_FIELD#/);
    assert.equal(outcome(json({ ...send, transient: true, offline: false })), 'ok');
  });

  it('checks the conversation reference of sync, read and typing: exactly one of peer and channel, valid ids', () => {
    const bases = [
      { t: 'sync', id: 3, afterSeq: 0, limit: 10 },
      { t: 'read', id: 3, seq: 0 },
      { t: 'typing', id: 3 },
    ];
    for (const base of bases) {
      assert.equal(outcome(json({ ...base, peer: 'bob' })), 'ok', base.t);
      assert.equal(outcome(json({ ...base, channel: 'lobby' })), 'ok', base.t);
      assert.equal(outcome(json(base)), 'INVALID_FIELD#3', base.t);
      assert.equal(outcome(json({ ...base, peer: 'bob', channel: 'lobby' })), 'INVALID_FIELD#3', base.t);
      assert.equal(outcome(json({ ...base, peer: 7 })), 'INVALID_FIELD#3', base.t);
      assert.equal(outcome(json({ ...base, peer: 'bo/b' })), 'INVALID_USER_ID#3', base.t);
      assert.equal(outcome(json({ ...base, peer: 'x'.repeat(65) })), 'INVALID_USER_ID#3', base.t);
      assert.equal(outcome(json({ ...base, channel: ' lobby' })), 'INVALID_CHANNEL_NAME#3', base.t);
      assert.equal(outcome(json({ ...base, channel: null })), 'INVALID_FIELD#3', base.t);
    }
    // Only the named side is kept.
    assert.deepEqual(parseClientFrame(json({ t: 'typing', id: 1, peer: 'bob', extra: 1 })), { t: 'typing', id: 1, peer: 'bob' });
    assert.deepEqual(parseClientFrame(json({ t: 'read', id: 1, channel: 'c', seq: 4 })), { t: 'read', id: 1, channel: 'c', seq: 4 });
  });

  it('checks sync paging: afterSeq an integer ≥ 0, limit 1 … MAX_HISTORY_PAGE (default MAX_HISTORY_PAGE)', () => {
    const sync = (fields: Record<string, unknown>) => outcome(json({ t: 'sync', id: 4, peer: 'bob', ...fields }));
    assert.equal(sync({ afterSeq: 0, limit: 1 }), 'ok');
    assert.equal(sync({ afterSeq: Number.MAX_SAFE_INTEGER, limit: MAX_HISTORY_PAGE }), 'ok');
    assert.equal(sync({ afterSeq: -1, limit: 1 }), 'INVALID_FIELD#4');
    assert.equal(sync({ afterSeq: 1.5, limit: 1 }), 'INVALID_FIELD#4');
    assert.equal(sync({ afterSeq: '3', limit: 1 }), 'INVALID_FIELD#4');
    assert.equal(sync({ afterSeq: 2 ** 53, limit: 1 }), 'INVALID_FIELD#4');
    assert.equal(sync({ limit: 1 }), 'INVALID_FIELD#4', 'afterSeq is required');
    assert.equal(sync({ afterSeq: 0, limit: 0 }), 'INVALID_FIELD#4');
    assert.equal(sync({ afterSeq: 0, limit: MAX_HISTORY_PAGE + 1 }), 'INVALID_FIELD#4');
    assert.equal(sync({ afterSeq: 0, limit: 2.5 }), 'INVALID_FIELD#4');
    assert.deepEqual(parseClientFrame(json({ t: 'sync', id: 4, channel: 'c', afterSeq: 7 })), {
      t: 'sync',
      id: 4,
      channel: 'c',
      afterSeq: 7,
      limit: MAX_HISTORY_PAGE,
    });
  });

  it('checks read seq: an integer ≥ 0', () => {
    const read = (seq: unknown) => outcome(json({ t: 'read', id: 6, peer: 'bob', seq }));
    assert.equal(read(0), 'ok');
    assert.equal(read(123456), 'ok');
    assert.equal(read(-1), 'INVALID_FIELD#6');
    assert.equal(read(0.5), 'INVALID_FIELD#6');
    assert.equal(read(undefined), 'INVALID_FIELD#6');
    assert.equal(read('1'), 'INVALID_FIELD#6');
  });

  it('parses conversations and channel.receipts', () => {
    assert.deepEqual(parseClientFrame(json({ t: 'conversations', id: 2, peer: 'ignored' })), { t: 'conversations', id: 2 });
    assert.deepEqual(parseClientFrame(json({ t: 'channel.receipts', id: 2, channel: 'lobby' })), { t: 'channel.receipts', id: 2, channel: 'lobby' });
    assert.equal(outcome(json({ t: 'channel.receipts', id: 2 })), 'INVALID_FIELD#2');
    assert.equal(outcome(json({ t: 'channel.receipts', id: 2, channel: '' })), 'INVALID_CHANNEL_NAME#2');
  });

  it(`checks presence uids: 1 … ${MAX_PRESENCE_QUERY} valid user ids, duplicates dropped`, () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
    for (const t of ['presence.query', 'presence.subscribe', 'presence.unsubscribe']) {
      const frame = (uids: unknown) => outcome(json({ t, id: 8, uids }));
      assert.equal(frame(ids(1)), 'ok', t);
      assert.equal(frame(ids(MAX_PRESENCE_QUERY)), 'ok', t);
      assert.equal(frame(ids(MAX_PRESENCE_QUERY + 1)), 'INVALID_FIELD#8', t);
      assert.equal(frame([]), 'INVALID_FIELD#8', t);
      assert.equal(frame(undefined), 'INVALID_FIELD#8', t);
      assert.equal(frame('bob'), 'INVALID_FIELD#8', t);
      assert.equal(frame({ 0: 'bob' }), 'INVALID_FIELD#8', t);
      assert.equal(frame(['bob', 5]), 'INVALID_FIELD#8', t);
      assert.equal(frame(['bob', null]), 'INVALID_FIELD#8', t);
      assert.equal(frame(['bob', '']), 'INVALID_USER_ID#8', t);
      assert.equal(frame(['bob', 'a/b']), 'INVALID_USER_ID#8', t);
      assert.equal(frame(['x'.repeat(65)]), 'INVALID_USER_ID#8', t);
      assert.deepEqual(parseClientFrame(json({ t, id: 8, uids: ['bob', 'amy', 'bob', 'amy', 'cy'] })), { t, id: 8, uids: ['bob', 'amy', 'cy'] });
    }
  });
});
