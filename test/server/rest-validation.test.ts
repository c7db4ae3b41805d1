import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_REST_BODY_BYTES, type ErrorReason } from '../../src/protocol/index.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import type { Storage } from '../../src/server/index.js';
import { fullHistory, startTestServer, type TestServer } from './helpers.js';
import { assertFailure, assertSuccess, basic, channelPath, demoCredentials, peerPath, post, seedPeerBody } from './rest-helpers.js';

describe('REST API validation (400)', () => {
  let t: TestServer;
  let auth: string;
  before(async () => {
    t = await startTestServer();
    const { restKey, restSecret } = demoCredentials(t);
    auth = basic(restKey, restSecret);
  });
  after(() => t.close());

  const peerBodies: [string, unknown, ErrorReason, RegExp?][] = [
    ['a JSON array', [seedPeerBody()], 'INVALID_ARGUMENT', /JSON object/],
    ['a JSON string', 'Hello', 'INVALID_ARGUMENT'],
    ['null', null, 'INVALID_ARGUMENT'],
    ['no destination', { payload: 'x' }, 'INVALID_FIELD', /destination/],
    ['an empty destination', seedPeerBody(''), 'INVALID_USER_ID', /empty/],
    ['a destination of 65 characters', seedPeerBody('d'.repeat(65)), 'INVALID_USER_ID', /64/],
    ['a destination with a leading space', seedPeerBody(' bob'), 'INVALID_USER_ID', /space/],
    ['a destination with a slash', seedPeerBody('a/b'), 'INVALID_USER_ID', /U\+002F/],
    ['a destination with a zero-width space', seedPeerBody('bo\u200bb'), 'INVALID_USER_ID', /U\+200B/],
    ['a numeric destination', { ...seedPeerBody(), destination: 42 }, 'INVALID_USER_ID', /string/],
    ['no payload', { destination: 'bob' }, 'INVALID_FIELD', /payload/],
    ['a numeric payload', { destination: 'bob', payload: 1 }, 'INVALID_FIELD', /payload/],
    ['an object payload', { destination: 'bob', payload: { text: 'x' } }, 'INVALID_FIELD', /payload/],
    ['an empty payload', seedPeerBody('bob', ''), 'MESSAGE_EMPTY', /payload/],
    ['enable_offline_messaging as a string', { ...seedPeerBody(), enable_offline_messaging: 'true' }, 'INVALID_FIELD', /enable_offline_messaging/],
    ['enable_historical_messaging as a number', { ...seedPeerBody(), enable_historical_messaging: 1 }, 'INVALID_FIELD', /enable_historical_messaging/],
    ['a misspelt field', { ...seedPeerBody(), enable_offline_message: true }, 'INVALID_FIELD', /enable_offline_message/],
    ['a field in another case', { Destination: 'bob', payload: 'x' }, 'INVALID_FIELD', /case-sensitive/],
  ];
  for (const [what, body, reason, mentions] of peerBodies) {
    it(`peer_messages: ${what} → ${reason}`, async () => {
      const message = assertFailure(await post(t, peerPath('sender', 'demo', '?wait_for_ack=true'), body), 400, reason);
      if (mentions) assert.match(message, mentions);
    });
  }

  const channelBodies: [string, unknown, ErrorReason, RegExp?][] = [
    ['no channel_name', { payload: 'x' }, 'INVALID_FIELD', /channel_name/],
    ['an empty channel_name', { channel_name: '', payload: 'x' }, 'INVALID_CHANNEL_NAME'],
    ['a channel_name with a trailing space', { channel_name: 'lobby ', payload: 'x' }, 'INVALID_CHANNEL_NAME', /space/],
    ['a channel_name of 65 characters', { channel_name: 'c'.repeat(65), payload: 'x' }, 'INVALID_CHANNEL_NAME', /64/],
    ['an empty payload', { channel_name: 'lobby', payload: '' }, 'MESSAGE_EMPTY'],
    ['a destination (a peer field)', { channel_name: 'lobby', destination: 'bob', payload: 'x' }, 'INVALID_FIELD', /destination/],
    ['enable_offline_messaging (not a channel option)', { channel_name: 'lobby', enable_offline_messaging: false, payload: 'x' }, 'INVALID_FIELD'],
  ];
  for (const [what, body, reason, mentions] of channelBodies) {
    it(`channel_messages: ${what} → ${reason}`, async () => {
      const message = assertFailure(await post(t, channelPath('sender'), body), 400, reason);
      if (mentions) assert.match(message, mentions);
    });
  }

  it('not JSON, empty, __proto__, text/plain or no content type → INVALID_ARGUMENT', async () => {
    const json = { authorization: auth, 'content-type': 'application/json' };
    assert.match(assertFailure(await post(t, peerPath('s'), undefined, { headers: json, raw: '{"destination":' }), 400, 'INVALID_ARGUMENT'), /JSON/);
    assertFailure(await post(t, peerPath('s'), undefined, { headers: json, raw: '' }), 400, 'INVALID_ARGUMENT');
    // Valid JSON with a prototype key: refused, and the message says why (not "invalid JSON").
    const proto = assertFailure(
      await post(t, peerPath('s'), undefined, { headers: json, raw: '{"destination":"b","payload":"x","__proto__":{"polluted":1}}' }),
      400,
      'INVALID_ARGUMENT',
    );
    assert.match(proto, /"__proto__"/);
    assert.doesNotMatch(proto, /not valid JSON/);
    const plain = { authorization: auth, 'content-type': 'text/plain' };
    assert.match(
      assertFailure(await post(t, peerPath('s'), undefined, { headers: plain, raw: JSON.stringify(seedPeerBody()) }), 400, 'INVALID_ARGUMENT'),
      /Content-Type: application\/json/,
    );
    const form = { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' };
    assert.match(assertFailure(await post(t, peerPath('s'), undefined, { headers: form, raw: 'destination=b' }), 400, 'INVALID_ARGUMENT'), /Content-Type/);
    assertFailure(await post(t, peerPath('s'), undefined, { headers: { authorization: auth } }), 400, 'INVALID_ARGUMENT');
  });

  it('a body over the request size limit → 400 MESSAGE_TOO_LARGE (the seed has no 413)', async () => {
    const answer = await post(t, channelPath('s'), { channel_name: 'c', payload: 'x'.repeat(MAX_REST_BODY_BYTES) });
    assertFailure(answer, 400, 'MESSAGE_TOO_LARGE');
  });

  it('a payload at 32 KB written with JSON escapes fits the body limit', async () => {
    // 10 900 three-byte characters (32 700 bytes) as \uXXXX escapes: 65 400 characters of JSON.
    const raw = `{"channel_name":"escaped","payload":"${'\\u4e2d'.repeat(10_900)}"}`;
    assertSuccess(await post(t, channelPath('s'), undefined, { raw, headers: { authorization: auth, 'content-type': 'application/json' } }), 'message_sent');
  });

  it('the <user_id> in the URL follows the id rules', async () => {
    for (const bad of [' lead', 'trail ', 'x'.repeat(65), '中文', 'tab\there']) {
      assertFailure(await post(t, peerPath(bad), seedPeerBody()), 400, 'INVALID_USER_ID');
      assertFailure(await post(t, channelPath(bad), { channel_name: 'c', payload: 'x' }), 400, 'INVALID_USER_ID');
    }
  });

  it('accepts every character of the id charset, percent-encoded, at the full 64 characters', async () => {
    const charset = `!#$%&()+-:;<=.>?@[]^_{}|~,' `;
    const uid = `a${charset.repeat(3)}`.slice(0, 63) + 'z';
    assert.equal(uid.length, 64);
    assertSuccess(await post(t, peerPath(uid), seedPeerBody(uid, 'to myself')), 'message_sent');
    assertSuccess(await post(t, channelPath(uid), { channel_name: uid, payload: 'x' }), 'message_sent');
    const reader = await t.connect(uid);
    const history = await fullHistory(reader, { peer: uid });
    assert.equal(history.length, 1);
    assert.equal(history[0]!.from, uid);
  });

  it('nothing is stored for a refused request', async () => {
    assertFailure(await post(t, peerPath('quiet'), { ...seedPeerBody('listener', 'x'), enable_offline_messaging: 'yes' }), 400, 'INVALID_FIELD');
    assertFailure(await post(t, peerPath('quiet', 'demo', '?wait_for_ack=maybe'), seedPeerBody('listener', 'x')), 400, 'INVALID_ARGUMENT');
    const listener = await t.connect('listener');
    assert.deepEqual(await fullHistory(listener, { peer: 'quiet' }), []);
  });

  it('an unknown path or method under the API is a JSON 404', async () => {
    const response = await fetch(`${t.url}/dev/v2/project/demo/rtm/users/a/peer_messages`, { headers: { authorization: auth } });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { reason: string }).reason, 'NOT_FOUND');
  });
});

describe('REST API server errors (500)', () => {
  let t: TestServer;
  let storage: Storage;
  let dataDir: string;
  let failStores = false;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rtm-rest-500-'));
    const real = createSqliteStorage(dataDir);
    storage = {
      ...real,
      messages: {
        ...real.messages,
        history: real.messages.history.bind(real.messages),
        store: (input, now) => (failStores ? Promise.reject(new Error('disk on fire')) : real.messages.store(input, now)),
      },
      close: () => real.close(),
    };
    t = await startTestServer({ storage });
  });
  after(async () => {
    await t.close();
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a storage failure is 500 INTERNAL_ERROR with a REST body, and nothing is delivered', async () => {
    const bob = await t.connect('bob');
    failStores = true;
    try {
      const headers = { 'x-agora-token': await t.token('alice'), 'x-agora-uid': 'alice', 'content-type': 'application/json' };
      const message = assertFailure(await post(t, peerPath('alice'), seedPeerBody('bob'), { headers }), 500, 'INTERNAL_ERROR');
      assert.doesNotMatch(message, /disk on fire/, 'internal details stay in the log');
      const channel = await post(t, channelPath('alice'), { channel_name: 'c', payload: 'x' }, { headers });
      assertFailure(channel, 500, 'INTERNAL_ERROR');
    } finally {
      failStores = false;
    }
    await bob.expectNone('peer.message', 200);
  });
});
