import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCodes, ErrorCodes } from '../../src/protocol/index.js';
import { createToken, verifyToken } from '../../src/server/index.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';

const LOCKED_SECRET = 'locked-app-token-secret-0123456789abcdef';
const config = {
  apps: [
    {
      id: 'locked',
      restKey: 'k',
      restSecret: 's',
      tokenSecret: LOCKED_SECRET,
      allowedOrigins: ['https://allowed.example'],
    },
  ],
};

describe('login', () => {
  const clock = manualClock();
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ config, now: clock.now, loginDeadlineMs: 300 });
  });
  after(() => t.close());

  /** Logs in with `token` and expects a refusal with `reason`, then the LOGIN_REFUSED close. */
  async function expectRefused(login: { uid: string; token: string; appId?: string }, reason: string, closeCode: number = CloseCodes.LOGIN_REFUSED) {
    const client = await t.open();
    const error = await client.requestError({ t: 'login', appId: 'demo', ...login });
    assert.equal(error.reason, reason);
    assert.equal(error.code, ErrorCodes[reason as keyof typeof ErrorCodes]);
    const closed = await client.closed;
    assert.equal(closed.code, closeCode);
    return error;
  }

  it('accepts a good token and reports the server time', async () => {
    const client = await t.open();
    const result = await client.requestOk({ t: 'login', appId: 'demo', uid: 'alice', token: await t.token('alice') });
    // The token's expiry plus the clock tolerance: the moment the connection would be closed.
    const exp = Math.floor(clock.now() / 1000) + 24 * 3600;
    assert.deepEqual(result, { uid: 'alice', serverTime: clock.now(), tokenExpiresAt: (exp + 5) * 1000 });
    assert.ok(client.isOpen);
    assert.deepEqual(await client.requestOk({ t: 'ping' }), { serverTime: clock.now() });
  });

  it('refuses a token with a bad signature', async () => {
    const token = await createToken({ appId: 'demo', uid: 'alice', secret: 'not-the-demo-secret-at-all-000000', now: clock.now() });
    await expectRefused({ uid: 'alice', token }, 'INVALID_TOKEN');
  });

  it('refuses garbage instead of a token', async () => {
    await expectRefused({ uid: 'alice', token: 'not.a.jwt' }, 'INVALID_TOKEN');
  });

  it('refuses an expired token', async () => {
    const token = await t.token('alice', { now: clock.now() - 2 * 3600_000, expiresInSeconds: 3600 });
    await expectRefused({ uid: 'alice', token }, 'TOKEN_EXPIRED');
  });

  it('refuses a token issued for another uid', async () => {
    const token = await t.token('bob');
    await expectRefused({ uid: 'alice', token }, 'TOKEN_MISMATCH');
  });

  it('refuses a token for another app signed with the same secret', async () => {
    const token = await createToken({ appId: 'other', uid: 'alice', secret: t.demoSecret, now: clock.now() });
    await expectRefused({ uid: 'alice', token }, 'TOKEN_MISMATCH');
  });

  it('refuses an unknown app', async () => {
    await expectRefused({ appId: 'nope', uid: 'alice', token: await t.token('alice') }, 'INVALID_APP_ID');
  });

  it('refuses every frame before login without closing, then accepts the login', async () => {
    const client = await t.open();
    assert.equal((await client.requestError({ t: 'ping' })).reason, 'NOT_LOGGED_IN');
    const send = { t: 'peer.send', to: 'bob', cmid: 'early', message: { type: 'TEXT', text: 'hi' } };
    assert.equal((await client.requestError(send)).reason, 'NOT_LOGGED_IN');
    assert.equal((await client.requestError({ t: 'channel.join', channel: 'x' })).reason, 'NOT_LOGGED_IN');
    assert.ok(client.isOpen);
    await client.requestOk({ t: 'login', appId: 'demo', uid: 'alice', token: await t.token('alice') });
    // The early send was not stored.
    assert.deepEqual((await client.requestOk({ t: 'history', peer: 'bob', limit: 10 })).messages, []);
  });

  it('refuses a second login on the same connection', async () => {
    const client = await t.connect('alice');
    const error = await client.requestError({ t: 'login', appId: 'demo', uid: 'bob', token: await t.token('bob') });
    assert.equal(error.reason, 'ALREADY_LOGGED_IN');
    assert.ok(client.isOpen);
  });

  it('closes a connection that does not log in before the deadline', async () => {
    const client = await t.open();
    const closed = await client.closed;
    assert.equal(closed.code, CloseCodes.LOGIN_DEADLINE);
  });

  it('keeps a logged-in connection past the login deadline', async () => {
    const client = await t.connect('alice');
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.ok(client.isOpen);
  });

  it('logout replies, then closes with LOGOUT', async () => {
    const client = await t.connect('alice');
    assert.deepEqual(await client.requestOk({ t: 'logout' }), {});
    assert.equal((await client.closed).code, CloseCodes.LOGOUT);
  });

  describe('origins', () => {
    it('refuses a page origin outside the app allow-list with ORIGIN_NOT_ALLOWED', async () => {
      const client = await t.open({ origin: 'https://evil.example' });
      const token = await t.token('alice', { appId: 'locked', secret: LOCKED_SECRET });
      const error = await client.requestError({ t: 'login', appId: 'locked', uid: 'alice', token });
      assert.equal(error.reason, 'ORIGIN_NOT_ALLOWED');
      assert.equal((await client.closed).code, CloseCodes.ORIGIN_NOT_ALLOWED);
    });

    it('accepts the allowed origin, no origin (non-browser), and any origin for the demo app', async () => {
      await t.connect('alice', { origin: 'https://allowed.example', appId: 'locked', secret: LOCKED_SECRET });
      await t.connect('alice', { appId: 'locked', secret: LOCKED_SECRET });
      await t.connect('alice', { origin: 'https://evil.example' });
    });
  });
});

describe('tokens', () => {
  const secret = 'x'.repeat(40);
  it('round-trip and carry sub, aud, iat and exp', async () => {
    const now = Date.UTC(2030, 0, 1);
    const token = await createToken({ appId: 'demo', uid: 'alice', secret, expiresInSeconds: 60, now });
    const verified = await verifyToken({ token, appId: 'demo', uid: 'alice', secret, now });
    assert.deepEqual(verified, { uid: 'alice', appId: 'demo', issuedAt: now / 1000, expiresAt: now / 1000 + 60 });
  });

  it('tolerate a few seconds of clock skew, not more', async () => {
    const now = Date.UTC(2030, 0, 1);
    const token = await createToken({ appId: 'demo', uid: 'alice', secret, expiresInSeconds: 60, now });
    await verifyToken({ token, appId: 'demo', uid: 'alice', secret, now: now + 63_000 });
    await assert.rejects(verifyToken({ token, appId: 'demo', uid: 'alice', secret, now: now + 70_000 }), { reason: 'TOKEN_EXPIRED' });
    await assert.rejects(verifyToken({ token, appId: 'demo', uid: 'alice', secret, now: now - 60_000 }), { reason: 'INVALID_TOKEN' });
  });

  it('refuse alg "none" and tokens without the required claims', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none' })}.${encode({ sub: 'alice', aud: 'demo', iat: now, exp: now + 60 })}.`;
    await assert.rejects(verifyToken({ token: unsigned, appId: 'demo', uid: 'alice', secret }), { reason: 'INVALID_TOKEN' });
    const { SignJWT } = await import('jose');
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setAudience('demo')
      .setIssuedAt()
      .sign(new TextEncoder().encode(secret));
    await assert.rejects(verifyToken({ token: noExp, appId: 'demo', uid: 'alice', secret }), { reason: 'INVALID_TOKEN' });
  });

  it('are not created for an invalid uid', async () => {
    await assert.rejects(createToken({ appId: 'demo', uid: 'a/b', secret }), { reason: 'INVALID_USER_ID' });
  });
});
