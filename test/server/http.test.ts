import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabaseReadOnly } from '../../src/server/storage/sqlite/database.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const LOCKED = {
  id: 'locked',
  restKey: 'k',
  restSecret: 's',
  tokenSecret: 'locked-app-token-secret-0123456789abcdef',
  allowedOrigins: ['https://allowed.example'],
};

describe('HTTP with dev tokens on', () => {
  const clock = manualClock(Date.UTC(2031, 5, 1));
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ devTokens: true, now: clock.now, config: { apps: [LOCKED] } });
  });
  after(() => t.close());

  it('/healthz answers {ok:true} after a real database write', async () => {
    const response = await fetch(`${t.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    const db = openDatabaseReadOnly(t.dataDir);
    try {
      assert.deepEqual(db.prepare('SELECT checked_at FROM health').get(), { checked_at: clock.now() });
    } finally {
      db.close();
    }
  });

  it('POST /api/dev/token returns a token that logs in', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'alice smith' });
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    const client = await t.open();
    const result = await client.requestOk({ t: 'login', appId: 'demo', uid: 'alice smith', token });
    assert.equal(result.uid, 'alice smith');
  });

  it('POST /api/dev/token works for another app named by appId from an allowed origin', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'bob', appId: 'locked' }, { origin: 'https://allowed.example' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://allowed.example');
    const { token } = (await response.json()) as { token: string };
    const client = await t.open({ origin: 'https://allowed.example' });
    await client.requestOk({ t: 'login', appId: 'locked', uid: 'bob', token });
  });

  it('POST /api/dev/token takes a lifetime in whole seconds, up to a day', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'alice', expiresInSeconds: 60 });
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    assert.equal(claims.exp - claims.iat, 60);
    for (const expiresInSeconds of [0, 1.5, -1, 86_401, '60']) {
      const refused = await post(`${t.url}/api/dev/token`, { uid: 'alice', expiresInSeconds });
      assert.equal(refused.status, 400, JSON.stringify(expiresInSeconds));
      assert.equal(((await refused.json()) as { reason: string }).reason, 'INVALID_ARGUMENT');
    }
  });

  it('refuses a bad uid with 400 and a JSON error body', async () => {
    for (const uid of ['a/b', '', 'x'.repeat(65), ' lead', 7]) {
      const response = await post(`${t.url}/api/dev/token`, { uid });
      assert.equal(response.status, 400, JSON.stringify(uid));
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.code, 403);
      assert.equal(body.reason, 'INVALID_USER_ID');
      assert.equal(typeof body.message, 'string');
    }
  });

  it('refuses bad bodies and unknown apps with JSON errors', async () => {
    let response = await post(`${t.url}/api/dev/token`, '{"uid":');
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { reason: string }).reason, 'INVALID_ARGUMENT');
    response = await post(`${t.url}/api/dev/token`, { uid: 'alice', appId: 'nope' });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { code: 204, reason: 'INVALID_APP_ID', message: 'No app "nope" on this server.' });
  });

  it('refuses a dev token for an app whose allowedOrigins exclude the page origin', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'bob', appId: 'locked' }, { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { reason: string }).reason, 'ORIGIN_NOT_ALLOWED');
  });

  it('unknown routes answer 404 with a JSON error', async () => {
    const response = await fetch(`${t.url}/no/such/route`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await response.json()) as { reason: string }).reason, 'NOT_FOUND');
  });
});

describe('HTTP with dev tokens off', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ devTokens: false });
  });
  after(() => t.close());

  it('POST /api/dev/token is a 404 with a JSON error', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'alice' });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { code: number; reason: string; message: string };
    assert.deepEqual([body.code, body.reason], [410, 'NOT_FOUND']);
    assert.match(body.message, /dev tokens/i);
  });
});

describe('CORS', () => {
  let t: TestServer;
  before(async () => {
    // The demo app restricted to one origin: no app allows '*'.
    t = await startTestServer({ devTokens: true, config: { apps: [{ ...LOCKED, id: 'demo' }] } });
  });
  after(() => t.close());

  it('answers a preflight from an allowed origin', async () => {
    const response = await fetch(`${t.url}/api/dev/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://allowed.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://allowed.example');
  });

  it('gives no CORS permission to an origin no app allows, and refuses its request', async () => {
    const preflight = await fetch(`${t.url}/api/dev/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const response = await post(`${t.url}/api/dev/token`, { uid: 'alice' }, { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  it('the WebSocket login is refused for that origin too', async () => {
    const response = await post(`${t.url}/api/dev/token`, { uid: 'alice' });
    const { token } = (await response.json()) as { token: string };
    const client = await t.open({ origin: 'https://evil.example' });
    assert.equal((await client.requestError({ t: 'login', appId: 'demo', uid: 'alice', token })).reason, 'ORIGIN_NOT_ALLOWED');
  });
});

describe('static files', () => {
  let t: TestServer;
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtm-static-'));
    await mkdir(join(root, 'demo'));
    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'demo', 'index.html'), '<title>demo index</title>');
    await writeFile(join(root, 'demo', 'embed.html'), '<title>embed</title>');
    await writeFile(join(root, 'dist', 'rtm-chat.iife.js'), 'window.RtmChat = {};');
    await writeFile(join(root, 'secret.txt'), 'outside demo/ and dist/');
    t = await startTestServer({ staticRoot: root });
  });
  after(async () => {
    await t.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the demo at /, /embed.html and the bundles under /dist/', async () => {
    const index = await fetch(`${t.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await index.text(), '<title>demo index</title>');
    assert.equal(await (await fetch(`${t.url}/embed.html`)).text(), '<title>embed</title>');
    const bundle = await fetch(`${t.url}/dist/rtm-chat.iife.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
  });

  it('does not serve files outside demo/ and dist/', async () => {
    for (const path of ['/secret.txt', '/../secret.txt', '/dist/../secret.txt', '/%2e%2e/secret.txt', '/dist/missing.js']) {
      const response = await fetch(`${t.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /outside demo/);
    }
  });
});
