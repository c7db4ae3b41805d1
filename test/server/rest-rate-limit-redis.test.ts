// The REST rate limit shared through Redis: two "nodes" (two Fastify instances with the real
// @fastify/rate-limit plugin) on one Redis spend one app's bucket between them. Needs a Redis
// server: RTM_TEST_REDIS_URL (CI starts one); skipped, saying so, without it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { after, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { REST_BURST, REST_REQUESTS_PER_SECOND } from '../../src/protocol/index.js';
import { registerRestRateLimit } from '../../src/server/http/rest/rate-limit.js';
import { restErrorHandler } from '../../src/server/http/rest/errors.js';
import { redisTokenBucketStore } from '../../src/server/http/rest/redis-token-bucket.js';
import { startTestServer, type TestServer } from './helpers.js';
import { basic, historyPath } from './rest-helpers.js';

const redisUrl = process.env.RTM_TEST_REDIS_URL;
if (!redisUrl) console.log('# skipped: the Redis rate limit tests need RTM_TEST_REDIS_URL (a running redis-server)');

describe('REST rate limit shared through Redis', { skip: !redisUrl && 'RTM_TEST_REDIS_URL is not set' }, () => {
  const connections: Redis[] = [];
  const nodes: FastifyInstance[] = [];

  /** A node: its own Redis connection, the REST limit keyed by the `x-app` header, one route. */
  async function node(prefix: string): Promise<FastifyInstance> {
    const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    const app = Fastify();
    await app.register(async (scope) => {
      scope.setErrorHandler(restErrorHandler(app.log));
      await registerRestRateLimit(scope, (request) => String(request.headers['x-app']), redisTokenBucketStore(redis, REST_BURST, prefix));
      scope.get('/ping', async () => ({ ok: true }));
    });
    await app.ready();
    nodes.push(app);
    return app;
  }

  const ping = (app: FastifyInstance, appId: string) => app.inject({ method: 'GET', url: '/ping', headers: { 'x-app': appId } });

  after(async () => {
    for (const app of nodes) await app.close();
    for (const redis of connections) redis.disconnect();
  });

  it('lets one burst through across both nodes, not one per node, and keeps apps apart', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [a, b] = [await node(prefix), await node(prefix)];
    const started = performance.now();
    // Three bursts' worth at once, alternating between the nodes.
    const answers = await Promise.all(Array.from({ length: 3 * REST_BURST }, (_, i) => ping(i % 2 ? b : a, 'demo')));
    const elapsedMs = performance.now() - started;
    const passed = answers.filter((r) => r.statusCode === 200).length;
    const refused = answers.filter((r) => r.statusCode === 429);
    // Refilled while the requests ran: one token per interval, counted generously.
    const refilled = Math.ceil(elapsedMs / (1000 / REST_REQUESTS_PER_SECOND)) + 1;
    assert.ok(passed >= REST_BURST, `at least the burst passes (${passed})`);
    assert.ok(passed <= REST_BURST + refilled, `${passed} passed: not more than the burst plus ${refilled} refilled (two nodes would give ${2 * REST_BURST})`);
    assert.equal(passed + refused.length, answers.length);
    assert.ok(refused.some((r) => r.headers['retry-after'] !== undefined), 'a refusal says when to retry');
    assert.match(refused[0]!.body, /TOO_OFTEN/);
    // Another app has its own bucket, on either node.
    assert.equal((await ping(b, 'other')).statusCode, 200);
  });

  it('counts exactly: a bucket of 5 at 10 per minute gives 5 of 20 requests from two connections, whichever asks', async () => {
    const prefix = `test:${randomUUID()}:`;
    const stores = [0, 1].map(() => {
      const redis = new Redis(redisUrl!);
      connections.push(redis);
      const Store = redisTokenBucketStore(redis, 5, prefix);
      return new Store();
    });
    const incr = (i: number) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        stores[i % 2]!.incr('rest:demo', (error, result) => (error ? reject(error) : resolve(result!)), 60_000, 10),
      );
    const results: { current: number; ttl: number }[] = [];
    for (let i = 0; i < 20; i++) results.push(await incr(i));
    const passed = results.filter((r) => r.current <= 10);
    assert.equal(passed.length, 5, 'the burst, once, over both connections (a token refills every 6 s)');
    assert.deepEqual(results.slice(0, 5), passed, 'the first five');
    const wait = results[5]!.ttl;
    assert.ok(wait > 5_000 && wait <= 6_000, `the sixth may retry when one token is back, in ${wait} ms`);
  });

  it('two servers started with redisUrl spend one app\'s budget from one bucket in Redis', async () => {
    // An app id of its own: every server with this Redis is one cluster, test runs included.
    const id = `rl-${randomUUID().slice(0, 8)}`;
    const app = { id, restKey: `${id}-key`, restSecret: `${id}-secret`, tokenSecret: `${id}-token-secret-0123456789abcdef0123`, allowedOrigins: ['*'] };
    const redis = new Redis(redisUrl!);
    connections.push(redis);
    const servers: TestServer[] = [];
    const ask = async (server: TestServer) => {
      const response = await fetch(`${server.url}${historyPath('alice', { peer: 'bob' }, '', id)}`, {
        headers: { authorization: basic(app.restKey, app.restSecret) },
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
    };
    try {
      for (let i = 0; i < 2; i++) servers.push(await startTestServer({ redisUrl: redisUrl!, config: { apps: [app] } }));
      const [a, b] = servers as [TestServer, TestServer];
      // The cluster's key (rtm:<cluster prefix>:rest:<app>); it lives only while the bucket is not
      // full (a few ms after one request), so the test fills it rather than watching it.
      const key = `rtm:default:rest:${id}`;
      assert.equal((await ask(a)).status, 200);
      assert.equal((await ask(b)).status, 200);

      // As if other nodes had spent the whole burst and a minute more: both nodes refuse now.
      const [seconds, micros] = await redis.time();
      const nowMs = Number(seconds) * 1000 + Number(micros) / 1000;
      const intervalMs = 1000 / REST_REQUESTS_PER_SECOND;
      await redis.set(key, String(nowMs + REST_BURST * intervalMs + 60_000), 'PX', 120_000);
      for (const node of [a, b]) {
        const answer = await ask(node);
        assert.equal(answer.status, 429);
        assert.match(answer.body, /TOO_OFTEN/);
        assert.ok(Number(answer.retryAfter) >= 55, `Retry-After says about a minute: ${answer.retryAfter}`);
      }
      await redis.del(key);
      assert.equal((await ask(b)).status, 200, 'and both pass again once the shared bucket has room');
    } finally {
      for (const server of servers) await server.close();
    }
  });

  it('fails the request with INTERNAL_ERROR, saying why, when Redis cannot be reached', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    redis.on('error', () => {}); // expected: nothing listens there
    connections.push(redis);
    const app = Fastify();
    await app.register(async (scope) => {
      scope.setErrorHandler(restErrorHandler(app.log));
      await registerRestRateLimit(scope, () => 'demo', redisTokenBucketStore(redis, REST_BURST, 'unreachable:'));
      scope.get('/ping', async () => ({ ok: true }));
    });
    nodes.push(app);
    const answer = await app.inject({ method: 'GET', url: '/ping' });
    assert.equal(answer.statusCode, 500);
    assert.match(answer.body, /shared rate limit in Redis could not be checked/);
  });
});
