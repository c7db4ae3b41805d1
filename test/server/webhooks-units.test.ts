import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_BASE_DELAY_MS,
  WEBHOOK_RETRY_MAX_DELAY_MS,
} from '../../src/protocol/index.js';
import { ConfigError, parseConfig, WEBHOOK_EVENT_TYPES } from '../../src/server/config.js';
import { signWebhook, startServer, verifyWebhookSignature } from '../../src/server/index.js';
import { openSqliteFile } from '../../src/server/storage/sqlite/driver.js';
import { migrate, MIGRATIONS } from '../../src/server/storage/sqlite/migrations.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import { createSqliteWebhookStore } from '../../src/server/storage/sqlite/webhooks.js';
import { classifyWebhookStatus, webhookRetryDelayMs } from '../../src/server/webhooks/index.js';
import { hookApp, WEBHOOK_SECRET } from './webhooks-helpers.js';

const withWebhook = (webhook: unknown) => ({ apps: [{ ...hookApp('shop', undefined), webhook }] });

describe('webhook config', () => {
  it('accepts an http(s) URL and a long secret; events default to every type', () => {
    const config = parseConfig(withWebhook({ url: 'https://hooks.example.com/rtm?x=1', secret: WEBHOOK_SECRET }));
    assert.deepEqual(config.apps[0]!.webhook, {
      url: 'https://hooks.example.com/rtm?x=1',
      secret: WEBHOOK_SECRET,
      events: [...WEBHOOK_EVENT_TYPES],
    });
    const narrowed = parseConfig(withWebhook({ url: 'http://127.0.0.1:9000/', secret: WEBHOOK_SECRET, events: ['message.sent'] }));
    assert.deepEqual(narrowed.apps[0]!.webhook!.events, ['message.sent']);
    assert.equal(parseConfig({ apps: [hookApp('plain', undefined)] }).apps[0]!.webhook, undefined);
  });

  it('refuses bad webhooks with a message naming the field', () => {
    const cases: [unknown, RegExp][] = [
      ['https://x.example', /apps\[0\]\.webhook must be an object/],
      [{ url: 'ftp://files.example.com/in', secret: WEBHOOK_SECRET }, /apps\[0\]\.webhook\.url must be an http:\/\/ or https:\/\/ URL \(got "ftp:/],
      [{ url: 'javascript:alert(1)', secret: WEBHOOK_SECRET }, /apps\[0\]\.webhook\.url must be an http/],
      [{ url: 'not a url', secret: WEBHOOK_SECRET }, /apps\[0\]\.webhook\.url/],
      [{ secret: WEBHOOK_SECRET }, /apps\[0\]\.webhook\.url/],
      [{ url: 'https://user:pw@x.example/', secret: WEBHOOK_SECRET }, /apps\[0\]\.webhook\.url must not contain a user name/],
      [{ url: 'https://x.example/' }, /apps\[0\]\.webhook\.secret must be a string of at least 32/],
      [{ url: 'https://x.example/', secret: 'short' }, /apps\[0\]\.webhook\.secret/],
      [{ url: 'https://x.example/', secret: WEBHOOK_SECRET, events: [] }, /apps\[0\]\.webhook\.events must be a non-empty array/],
      [{ url: 'https://x.example/', secret: WEBHOOK_SECRET, events: ['message.deleted'] }, /apps\[0\]\.webhook\.events\[0\] must be one of/],
    ];
    for (const [webhook, message] of cases) {
      assert.throws(() => parseConfig(withWebhook(webhook), 'rtm.json'), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^rtm\.json: /);
        assert.match(error.message, message);
        return true;
      });
    }
  });

  it('a non-http(s) webhook URL stops the server at start, before the data directory is created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-webhook-config-'));
    try {
      const configFile = join(dir, 'rtm.json');
      await writeFile(configFile, JSON.stringify(withWebhook({ url: 'file:///etc/passwd', secret: WEBHOOK_SECRET })));
      await assert.rejects(startServer({ port: 0, dataDir: join(dir, 'data'), configFile }), /apps\[0\]\.webhook\.url must be an http/);
      assert.equal(existsSync(join(dir, 'data')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'evt_x', type: 'message.sent', appId: 'shop', occurredAt: 1, data: { text: 'héllo' } });
  const now = 1_763_780_000_000;
  const t = Math.floor(now / 1000);

  it('are HMAC-SHA256 of "<t>.<raw body>", hex', () => {
    const expected = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
    assert.equal(signWebhook(WEBHOOK_SECRET, body, t), `t=${t},v1=${expected}`);
  });

  it('verify: genuine and fresh passes; tampered, foreign, stale or malformed fails', () => {
    const header = signWebhook(WEBHOOK_SECRET, body, t);
    const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ body, header, secret: WEBHOOK_SECRET, now, ...overrides });
    assert.equal(verify({}), true);
    assert.equal(verify({ now: now + 299_000 }), true, 'within the 5-minute tolerance');
    assert.equal(verify({ now: now + 301_000 }), false, 'a replay after 5 minutes');
    assert.equal(verify({ now: now - 301_000 }), false, 'from the future');
    assert.equal(verify({ body: body.replace('héllo', 'hello') }), false, 'tampered body');
    assert.equal(verify({ secret: `${WEBHOOK_SECRET}x` }), false, 'another secret');
    assert.equal(verify({ header: header.replace(/t=\d+/, `t=${t + 1}`) }), false, 'moved timestamp');
    assert.equal(verify({ header: `${header.replace(/v1=\w+/, 'v1=00')},${header.split(',')[1]}` }), true, 'any v1 may match (rotation)');
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=abc,v1=${'0'.repeat(64)}`, 'garbage']) {
      assert.equal(verify({ header: bad }), false, `header ${JSON.stringify(bad)}`);
    }
  });

  it('the verification example in docs/configuration.md accepts our signatures and refuses bad ones', async () => {
    const docs = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const source = /^function verify[\s\S]*?^}$/m.exec(docs)?.[0];
    assert.ok(source, 'docs/configuration.md has a `function verify(...)` example');
    const verify = new Function('createHmac', 'timingSafeEqual', `${source}\nreturn verify;`)(createHmac, timingSafeEqual) as (
      rawBody: string,
      header: string | undefined,
      secret: string,
    ) => boolean;
    const fresh = Math.floor(Date.now() / 1000);
    assert.equal(verify(body, signWebhook(WEBHOOK_SECRET, body, fresh), WEBHOOK_SECRET), true);
    assert.equal(verify(`${body} `, signWebhook(WEBHOOK_SECRET, body, fresh), WEBHOOK_SECRET), false);
    assert.equal(verify(body, signWebhook(WEBHOOK_SECRET, body, fresh - 600), WEBHOOK_SECRET), false);
    assert.equal(verify(body, signWebhook('another-secret-another-secret-0000', body, fresh), WEBHOOK_SECRET), false);
    assert.equal(verify(body, undefined, WEBHOOK_SECRET), false);
  });
});

describe('webhook retry policy', () => {
  it('2xx is delivered; 4xx but 408/429 is permanent; the rest is retried', () => {
    const table = Object.fromEntries([200, 202, 204, 299, 301, 304, 400, 401, 403, 404, 408, 410, 413, 422, 429, 500, 502, 503, 504].map((s) => [s, classifyWebhookStatus(s)]));
    assert.deepEqual(table, {
      200: 'delivered', 202: 'delivered', 204: 'delivered', 299: 'delivered',
      301: 'retry', 304: 'retry',
      400: 'failed', 401: 'failed', 403: 'failed', 404: 'failed', 408: 'retry', 410: 'failed', 413: 'failed', 422: 'failed', 429: 'retry',
      500: 'retry', 502: 'retry', 503: 'retry', 504: 'retry',
    });
  });

  it('backs off exponentially with ±20% jitter, capped, over about a day', () => {
    const nominal = (attempt: number) => webhookRetryDelayMs(attempt, () => 0.5);
    assert.equal(nominal(1), WEBHOOK_RETRY_BASE_DELAY_MS);
    assert.equal(nominal(2), 2 * WEBHOOK_RETRY_BASE_DELAY_MS);
    assert.equal(nominal(5), 16 * WEBHOOK_RETRY_BASE_DELAY_MS);
    assert.equal(nominal(11), WEBHOOK_RETRY_MAX_DELAY_MS);
    assert.equal(webhookRetryDelayMs(3, () => 0), Math.round(4 * WEBHOOK_RETRY_BASE_DELAY_MS * 0.8));
    assert.equal(webhookRetryDelayMs(3, () => 1), Math.round(4 * WEBHOOK_RETRY_BASE_DELAY_MS * 1.2));
    let total = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) total += nominal(attempt);
    const hours = total / 3_600_000;
    assert.ok(hours > 16 && hours < 28, `the last attempt comes ${hours.toFixed(1)} h after the first`);
  });
});

describe('webhook outbox storage', () => {
  it('migration 4 adds the outbox to a version-3 database; enqueue is idempotent per dedupe key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-webhook-store-'));
    const db = openSqliteFile(join(dir, 'v3.sqlite'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, MIGRATIONS.filter((migration) => migration.version <= 3));
      db.prepare("INSERT INTO apps (id, rest_key, rest_secret, token_secret, created_at) VALUES ('a', 'k', 's', 't', 0)").run();
      assert.deepEqual(migrate(db, MIGRATIONS.filter((migration) => migration.version <= 4)), [4]);
      // The store prepares every statement up front, the lease table's (migration 9) included.
      migrate(db);
      const store = createSqliteWebhookStore(db);
      const event = { id: 'evt_1', appId: 'a', type: 'message.sent', payload: '{}', dedupeKey: 'message.sent:m1', createdAt: 10 };
      assert.equal(await store.enqueue(event), true);
      assert.equal(await store.enqueue({ ...event, id: 'evt_2' }), false, 'same key: recorded once');
      assert.equal(await store.enqueue({ ...event, id: 'evt_3', dedupeKey: undefined }), true);
      assert.equal(await store.enqueue({ ...event, id: 'evt_4', dedupeKey: undefined }), true, 'no key: never a conflict');
      const [first] = await store.pending('a', 10);
      assert.deepEqual([first!.id, first!.status, first!.attempts, first!.nextAttemptAt], ['evt_1', 'pending', 0, 10]);

      await store.recordAttempt(first!.pk, { attempt: 1, startedAt: 20, durationMs: 5, statusCode: 500, status: 'pending', nextAttemptAt: 100 });
      await store.recordAttempt(first!.pk, { attempt: 2, startedAt: 100, durationMs: 7, statusCode: 204, status: 'delivered', nextAttemptAt: 107 });
      const log = await store.get('a', 'evt_1');
      assert.equal(log!.status, 'delivered');
      assert.equal(log!.deliveredAt, 107);
      assert.deepEqual(log!.log.map((a) => a.statusCode), [500, 204]);
      assert.deepEqual((await store.pending('a', 10)).map((d) => d.id), ['evt_3', 'evt_4']);
      assert.equal(await store.get('other-app', 'evt_1'), undefined, 'per app');

      const plan = db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM webhook_events WHERE app_id = ? AND status = 'pending' ORDER BY next_attempt_at, pk LIMIT 5")
        .all('a') as { detail: string }[];
      assert.match(plan.map((row) => row.detail).join('\n'), /USING INDEX webhook_events_pending/);
      assert.doesNotMatch(plan.map((row) => row.detail).join('\n'), /TEMP B-TREE/);

      assert.equal(await store.prune(108), 1, 'the delivered event is past retention');
      assert.equal(db.prepare('SELECT COUNT(*) FROM webhook_attempts').pluck().get(), 0, 'its log went with it');
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('SQLite: a dispatch lease left by a crashed run does not hold the next run back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-webhook-lease-'));
    try {
      const crashed = createSqliteStorage(dir, 0);
      assert.equal((await crashed.webhooks!.acquireDispatchLease('a', 'old-run', 60_000)).held, true);
      await crashed.close(); // without releasing, as a kill -9 would leave it
      const next = createSqliteStorage(dir, 0);
      try {
        assert.equal((await next.webhooks!.acquireDispatchLease('a', 'new-run', 60_000)).held, true);
      } finally {
        await next.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
