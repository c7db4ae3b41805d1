import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkChannelName,
  checkUserId,
  FrameError,
  isValidAppId,
  isValidChannelName,
  isValidUserId,
  MAX_ID_LENGTH,
  parseClientFrame,
} from '../../src/protocol/index.js';

/** Every special character the seed charset allows, besides letters, digits and space. */
const SPECIALS = [...`!#$%&()+-:;<=.>?@[]^_{}|~,'`];

/** Characters that look harmless or dangerous but are outside the charset. */
const DISALLOWED = {
  slash: '/',
  'double quote': '"',
  backslash: '\\',
  asterisk: '*',
  backtick: '`',
  'right-to-left override U+202E': '\u202E',
  'zero-width space U+200B': '\u200B',
  'no-break space U+00A0': '\u00A0',
  emoji: '😀',
  'accented letter': 'é',
  newline: '\n',
  tab: '\t',
  NUL: '\u0000',
};

const kinds = [
  { what: 'user id', check: checkUserId, isValid: isValidUserId, reason: 'INVALID_USER_ID' },
  { what: 'channel name', check: checkChannelName, isValid: isValidChannelName, reason: 'INVALID_CHANNEL_NAME' },
] as const;

for (const { what, check, isValid, reason } of kinds) {
  describe(`${what} rules`, () => {
    it(`accepts exactly ${MAX_ID_LENGTH} characters and refuses ${MAX_ID_LENGTH + 1}`, () => {
      assert.equal(MAX_ID_LENGTH, 64);
      assert.equal(check('a'.repeat(64)), undefined);
      assert.equal(isValid('a'.repeat(64)), true);
      assert.equal(check('a'.repeat(65))?.reason, reason);
      assert.match(check('a'.repeat(65))!.message, /at most 64/);
    });

    it('accepts one character and refuses the empty string and non-strings', () => {
      assert.equal(check('a'), undefined);
      assert.equal(check('')?.reason, reason);
      assert.equal(check(undefined)?.reason, reason);
      assert.equal(check(42)?.reason, reason);
      assert.equal(check(null)?.reason, reason);
    });

    for (const ch of SPECIALS) {
      it(`accepts the allowed character ${JSON.stringify(ch)} alone and inside`, () => {
        assert.equal(check(ch), undefined);
        assert.equal(check(`a${ch}b`), undefined);
      });
    }

    it('accepts an id made of every allowed character class at once', () => {
      const all = `aZ09 ${SPECIALS.join('')}`;
      assert.ok(all.length <= 64);
      assert.equal(check(all), undefined);
    });

    for (const [name, ch] of Object.entries(DISALLOWED)) {
      it(`refuses ${name}`, () => {
        const error = check(`ab${ch}cd`);
        assert.equal(error?.reason, reason);
        assert.equal(isValid(`ab${ch}cd`), false);
      });
    }

    it('refuses a leading or trailing space and accepts an inner space', () => {
      assert.equal(check(' alice')?.reason, reason);
      assert.equal(check('alice ')?.reason, reason);
      assert.equal(check(' ')?.reason, reason);
      assert.equal(check('alice smith'), undefined);
      assert.equal(check('a  b'), undefined);
    });

    it('counts characters, so 64 characters made of specials are fine and 65 are not', () => {
      assert.equal(check('~'.repeat(64)), undefined);
      assert.equal(check('~'.repeat(65))?.reason, reason);
    });
  });
}

describe('ids inside frames', () => {
  it('login refuses a 65-character uid with INVALID_USER_ID and keeps the request id', () => {
    const text = JSON.stringify({ t: 'login', id: 7, appId: 'demo', uid: 'a'.repeat(65), token: 't' });
    assert.throws(
      () => parseClientFrame(text),
      (error: unknown) => error instanceof FrameError && error.reason === 'INVALID_USER_ID' && error.requestId === 7,
    );
    const ok = parseClientFrame(JSON.stringify({ t: 'login', id: 7, appId: 'demo', uid: 'a'.repeat(64), token: 't' }));
    assert.equal(ok.t, 'login');
  });

  it('channel.join refuses a channel with "/" and accepts every special character', () => {
    assert.throws(
      () => parseClientFrame(JSON.stringify({ t: 'channel.join', id: 1, channel: 'a/b' })),
      (error: unknown) => error instanceof FrameError && error.reason === 'INVALID_CHANNEL_NAME',
    );
    const frame = parseClientFrame(JSON.stringify({ t: 'channel.join', id: 1, channel: SPECIALS.join('') }));
    assert.deepEqual(frame, { t: 'channel.join', id: 1, channel: SPECIALS.join('') });
  });

  it('peer.send refuses a receiver with a trailing space', () => {
    const text = JSON.stringify({ t: 'peer.send', id: 1, to: 'bob ', cmid: 'c1', message: { type: 'TEXT', text: 'hi' } });
    assert.throws(() => parseClientFrame(text), (error: unknown) => error instanceof FrameError && error.reason === 'INVALID_USER_ID');
  });
});

describe('app ids', () => {
  it('allow 1–64 of A-Z a-z 0-9 _ - and nothing else', () => {
    assert.equal(isValidAppId('demo'), true);
    assert.equal(isValidAppId('A_b-9'.padEnd(64, 'x')), true);
    assert.equal(isValidAppId('x'.repeat(65)), false);
    assert.equal(isValidAppId(''), false);
    assert.equal(isValidAppId('my app'), false);
    assert.equal(isValidAppId('a/b'), false);
    assert.equal(isValidAppId(7), false);
  });
});
