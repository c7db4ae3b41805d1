import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCodes, TOKEN_WILL_EXPIRE_MS } from '../../src/protocol/index.js';
import { createToken, TOKEN_CLOCK_TOLERANCE_SECONDS } from '../../src/server/index.js';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * A token whose connection deadline (exp + clock tolerance) is about `seconds` from now: issued an
 * hour ago for an hour, shifted so that exp lands where we want it.
 */
function tokenDueIn(t: TestServer, uid: string, seconds: number): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) - TOKEN_CLOCK_TOLERANCE_SECONDS + seconds;
  return t.token(uid, { now: (exp - 3600) * 1000, expiresInSeconds: 3600 });
}

describe('token lifetime of a connection', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('warns at once when less than 30 s are left, then closes with TOKEN_EXPIRED at the deadline', async () => {
    const client = await t.open();
    const login = await client.requestOk({ t: 'login', appId: 'demo', uid: 'ann', token: await tokenDueIn(t, 'ann', 2) });
    assert.ok(login.tokenExpiresAt - Date.now() <= 2000 && login.tokenExpiresAt - Date.now() > 0, 'deadline about 2 s away');
    const warning = await client.next('token.will_expire');
    assert.equal(warning.tokenExpiresAt, login.tokenExpiresAt);
    const error = await client.next('error', { timeoutMs: 4000 });
    assert.equal(error.error.reason, 'TOKEN_EXPIRED');
    const closed = await client.closed;
    assert.deepEqual(closed, { code: CloseCodes.TOKEN_EXPIRED, reason: 'TOKEN_EXPIRED' });
    assert.ok(Date.now() >= login.tokenExpiresAt - 50, 'not closed before the deadline');
  });

  it('does not warn while more than 30 s are left', async () => {
    const client = await t.open();
    await client.requestOk({ t: 'login', appId: 'demo', uid: 'ann', token: await tokenDueIn(t, 'ann', TOKEN_WILL_EXPIRE_MS / 1000 + 60) });
    await client.expectNone('token.will_expire', 300);
  });

  it('renew moves the deadline: the connection outlives its first token', async () => {
    const client = await t.open();
    const login = await client.requestOk({ t: 'login', appId: 'demo', uid: 'ben', token: await tokenDueIn(t, 'ben', 2) });
    await client.next('token.will_expire');
    const renewed = await client.requestOk({ t: 'renew', token: await t.token('ben', { expiresInSeconds: 3600 }) });
    assert.ok(renewed.tokenExpiresAt > login.tokenExpiresAt + 3000_000);
    await new Promise((resolve) => setTimeout(resolve, login.tokenExpiresAt - Date.now() + 500));
    assert.ok(client.isOpen, 'still open after the first token expired');
    assert.deepEqual(await client.requestOk({ t: 'ping' }).then((r) => typeof r.serverTime), 'number');
    await client.expectNone('error', 0);
  });

  it('a renewal with a short token warns again and closes at the new deadline', async () => {
    const client = await t.open();
    await client.requestOk({ t: 'login', appId: 'demo', uid: 'cid', token: await tokenDueIn(t, 'cid', 1) });
    await client.next('token.will_expire');
    const renewed = await client.requestOk({ t: 'renew', token: await tokenDueIn(t, 'cid', 2) });
    const warning = await client.next('token.will_expire');
    assert.equal(warning.tokenExpiresAt, renewed.tokenExpiresAt);
    assert.equal((await client.closed).code, CloseCodes.TOKEN_EXPIRED);
    assert.ok(Date.now() >= renewed.tokenExpiresAt - 50);
  });

  it('refuses bad renewals with a typed error and keeps the connection and its deadline', async () => {
    const client = await t.open();
    const login = await client.requestOk({ t: 'login', appId: 'demo', uid: 'dee', token: await t.token('dee') });
    const other = await t.token('eve');
    const forged = await createToken({ appId: 'demo', uid: 'dee', secret: 'some-other-secret-0123456789abcdef' });
    const expired = await t.token('dee', { now: Date.now() - 2 * 3600_000, expiresInSeconds: 3600 });
    const [header, payload] = (await t.token('dee')).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    assert.ok(header);
    const cases: [Record<string, unknown>, string][] = [
      [{ t: 'renew', token: other }, 'TOKEN_MISMATCH'],
      [{ t: 'renew', token: forged }, 'INVALID_TOKEN'],
      [{ t: 'renew', token: expired }, 'TOKEN_EXPIRED'],
      [{ t: 'renew', token: unsigned }, 'INVALID_TOKEN'],
      [{ t: 'renew', token: 42 }, 'INVALID_FIELD'],
      [{ t: 'renew' }, 'INVALID_FIELD'],
    ];
    for (const [frame, reason] of cases) {
      const error = await client.requestError(frame);
      assert.equal(error.reason, reason, JSON.stringify(frame));
      assert.match(error.message, /\w/);
    }
    assert.ok(client.isOpen);
    // The deadline is still the login token's: a good renewal reports a new one, from there.
    const renewed = await client.requestOk({ t: 'renew', token: await t.token('dee', { expiresInSeconds: 48 * 3600 }) });
    assert.ok(renewed.tokenExpiresAt > login.tokenExpiresAt);
  });

  it('refuses renew before login', async () => {
    const client = await t.open();
    const error = await client.requestError({ t: 'renew', token: await t.token('fay') });
    assert.equal(error.reason, 'NOT_LOGGED_IN');
  });
});
