import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createToken } from '../../src/server/index.js';
import { startTestServer, type TestServer } from './helpers.js';
import { assertFailure, assertSuccess, basic, channelPath, demoCredentials, peerPath, post, seedPeerBody } from './rest-helpers.js';

const JSON_TYPE = { 'content-type': 'application/json;charset=utf-8' };
const SHOP = {
  id: 'shop',
  restKey: 'shop-key-0123456789',
  restSecret: 'shop-secret-0123456789abcdef',
  tokenSecret: 'shop-token-secret-0123456789abcdef0123',
  allowedOrigins: ['https://shop.example'],
};

describe('REST API authentication', () => {
  let t: TestServer;
  let key: string;
  let secret: string;
  before(async () => {
    t = await startTestServer({ config: { apps: [SHOP] } });
    ({ restKey: key, restSecret: secret } = demoCredentials(t));
  });
  after(() => t.close());

  /** Every 401 body must not echo a secret the server knows or the caller sent. */
  const assertNoSecrets = (message: string) => {
    for (const value of [key, secret, SHOP.restSecret, SHOP.restKey, t.demoSecret, SHOP.tokenSecret]) {
      assert.ok(!message.includes(value), `the message leaks a secret: ${message}`);
    }
  };

  describe('Basic', () => {
    it('with the app’s REST key and secret may send as any user', async () => {
      assertSuccess(await post(t, peerPath('anyone'), seedPeerBody()), 'message_sent');
      assertSuccess(await post(t, channelPath('someone else'), { channel_name: 'c', payload: 'x' }), 'message_sent');
    });

    it('is per app: shop’s credentials work for shop and not for demo', async () => {
      const headers = { authorization: basic(SHOP.restKey, SHOP.restSecret), ...JSON_TYPE };
      assertSuccess(await post(t, peerPath('a', 'shop'), seedPeerBody(), { headers }), 'message_sent');
      assertNoSecrets(assertFailure(await post(t, peerPath('a', 'demo'), seedPeerBody(), { headers }), 401, 'INVALID_CREDENTIALS'));
    });

    it('refuses a wrong secret, a wrong key, and both swapped, with the same answer', async () => {
      const messages = [];
      for (const [k, s] of [[key, `${secret}x`], [`${key}x`, secret], [secret, key], [key, ''], ['', '']] as const) {
        const answer = await post(t, peerPath('a'), seedPeerBody(), { headers: { authorization: basic(k, s), ...JSON_TYPE } });
        messages.push(assertFailure(answer, 401, 'INVALID_CREDENTIALS'));
      }
      assert.equal(new Set(messages).size, 1, 'no hint which half was wrong');
      assertNoSecrets(messages[0]!);
    });

    it('refuses credentials without a colon and other schemes', async () => {
      const noColon = `Basic ${Buffer.from(key + secret).toString('base64')}`;
      assert.match(
        assertFailure(await post(t, peerPath('a'), seedPeerBody(), { headers: { authorization: noColon, ...JSON_TYPE } }), 401, 'INVALID_CREDENTIALS'),
        /colon/,
      );
      for (const authorization of [`Bearer ${await t.token('a')}`, 'Basic', 'Basic !!!notbase64!!!', key]) {
        const message = assertFailure(await post(t, peerPath('a'), seedPeerBody(), { headers: { authorization, ...JSON_TYPE } }), 401, 'INVALID_CREDENTIALS');
        assertNoSecrets(message);
      }
    });
  });

  describe('token', () => {
    const tokenHeaders = (token: string, uid: string) => ({ 'x-agora-token': token, 'x-agora-uid': uid, ...JSON_TYPE });

    it('with the sender’s own token: 200', async () => {
      assertSuccess(await post(t, peerPath('alice'), seedPeerBody(), { headers: tokenHeaders(await t.token('alice'), 'alice') }), 'message_sent');
      assertSuccess(
        await post(t, channelPath('alice'), { channel_name: 'c', payload: 'x' }, { headers: tokenHeaders(await t.token('alice'), 'alice') }),
        'message_sent',
      );
    });

    it('may only send as the token’s user: another <user_id> is 401 TOKEN_MISMATCH', async () => {
      const message = assertFailure(
        await post(t, peerPath('bob'), seedPeerBody(), { headers: tokenHeaders(await t.token('alice'), 'alice') }),
        401,
        'TOKEN_MISMATCH',
      );
      assert.match(message, /alice/);
      assert.match(message, /bob/);
    });

    it('x-agora-uid must be the token’s uid', async () => {
      const answer = await post(t, peerPath('bob'), seedPeerBody(), { headers: tokenHeaders(await t.token('alice'), 'bob') });
      assertFailure(answer, 401, 'TOKEN_MISMATCH');
    });

    it('refuses an expired token with TOKEN_EXPIRED', async () => {
      const expired = await t.token('alice', { expiresInSeconds: 60, now: Date.now() - 3_600_000 });
      assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: tokenHeaders(expired, 'alice') }), 401, 'TOKEN_EXPIRED');
    });

    it('refuses a token of another app, a forged one and garbage with the right reason', async () => {
      const shopToken = await createToken({ appId: 'shop', uid: 'alice', secret: SHOP.tokenSecret });
      assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: tokenHeaders(shopToken, 'alice') }), 401, 'INVALID_TOKEN');
      const forged = await createToken({ appId: 'demo', uid: 'alice', secret: 'not-the-demo-secret-0123456789abcdef' });
      assertNoSecrets(
        assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: tokenHeaders(forged, 'alice') }), 401, 'INVALID_TOKEN'),
      );
      assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: tokenHeaders('not.a.jwt', 'alice') }), 401, 'INVALID_TOKEN');
    });

    it('needs both headers', async () => {
      const token = await t.token('alice');
      assert.match(
        assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: { 'x-agora-token': token, ...JSON_TYPE } }), 401, 'MISSING_CREDENTIALS'),
        /x-agora-uid/,
      );
      assert.match(
        assertFailure(await post(t, peerPath('alice'), seedPeerBody(), { headers: { 'x-agora-uid': 'alice', ...JSON_TYPE } }), 401, 'MISSING_CREDENTIALS'),
        /x-agora-token/,
      );
    });
  });

  it('no credentials at all: 401 MISSING_CREDENTIALS naming both ways', async () => {
    const message = assertFailure(await post(t, peerPath('a'), seedPeerBody(), { headers: JSON_TYPE }), 401, 'MISSING_CREDENTIALS');
    assert.match(message, /Basic/);
    assert.match(message, /x-agora-token/);
  });

  it('an unknown app id: 401 INVALID_APP_ID, before any credential check', async () => {
    assertFailure(await post(t, peerPath('a', 'nope'), seedPeerBody()), 401, 'INVALID_APP_ID');
    assertFailure(await post(t, channelPath('a', 'nope'), { channel_name: 'c', payload: 'x' }, { headers: JSON_TYPE }), 401, 'INVALID_APP_ID');
  });

  it('authentication comes before body validation: bad credentials and a bad body are 401', async () => {
    assertFailure(await post(t, peerPath('a'), undefined, { headers: JSON_TYPE, raw: '{nope' }), 401, 'MISSING_CREDENTIALS');
  });
});
