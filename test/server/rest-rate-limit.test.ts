import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { REST_BURST, REST_REQUESTS_PER_SECOND } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from './helpers.js';
import { tokenBucketStore } from '../../src/server/http/rest/rate-limit.js';
import { assertFailure, assertSuccess, basic, channelPath, demoCredentials, peerPath, post, seedPeerBody, type RestAnswer } from './rest-helpers.js';

const OTHER = {
  id: 'other',
  restKey: 'other-key',
  restSecret: 'other-secret',
  tokenSecret: 'other-token-secret-0123456789abcdef0123',
  allowedOrigins: [],
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Like `post` with the demo app's Basic auth, over node:http with a keep-alive agent. */
function fastPost(t: TestServer, path: string, body: unknown, headers?: Record<string, string>): Promise<RestAnswer> {
  const { restKey, restSecret } = demoCredentials(t);
  const text = JSON.stringify(body);
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: basic(restKey, restSecret),
          'content-type': 'application/json',
          ...headers,
          'content-length': Buffer.byteLength(text),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: JSON.parse(data) });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('token bucket store (fake clock)', () => {
  const bucket = (clock: { now: number }) => {
    const Store = tokenBucketStore(REST_BURST, () => clock.now);
    const store = new Store();
    return (key = 'rest:demo') =>
      new Promise<{ current: number; ttl: number }>((resolve) =>
        store.incr(key, (_error, result) => resolve(result!), 1000, REST_REQUESTS_PER_SECOND),
      );
  };

  it(`lets ${REST_BURST} through at once, then one per ${1000 / REST_REQUESTS_PER_SECOND} ms`, async () => {
    const clock = { now: 1_000 };
    const incr = bucket(clock);
    for (let i = 1; i <= REST_BURST; i++) assert.ok((await incr()).current <= REST_REQUESTS_PER_SECOND, `request ${i} passes`);
    const refused = await incr();
    assert.ok(refused.current > REST_REQUESTS_PER_SECOND, 'request burst + 1 is refused');
    assert.ok(refused.ttl > 0 && refused.ttl <= 1000 / REST_REQUESTS_PER_SECOND, `retry in ${refused.ttl} ms`);
    clock.now += 1000 / REST_REQUESTS_PER_SECOND;
    assert.ok((await incr()).current <= REST_REQUESTS_PER_SECOND, 'one more after one interval');
    assert.ok((await incr()).current > REST_REQUESTS_PER_SECOND, 'but not two');
    assert.ok((await incr('rest:other')).current <= REST_REQUESTS_PER_SECOND, 'another key has its own bucket');
  });

  it(`never lets more than ${REST_REQUESTS_PER_SECOND} + ${REST_BURST} through in a second, whatever the pattern`, async () => {
    const clock = { now: 0 };
    const incr = bucket(clock);
    let passed = 0;
    // 10 attempts per ms for one second.
    for (let ms = 0; ms < 1000; ms++) {
      clock.now = ms;
      for (let i = 0; i < 10; i++) if ((await incr()).current <= REST_REQUESTS_PER_SECOND) passed++;
    }
    assert.ok(passed <= REST_REQUESTS_PER_SECOND + REST_BURST, `${passed} passed`);
    assert.ok(passed >= REST_REQUESTS_PER_SECOND + REST_BURST - 1, `${passed} passed: the full rate is usable`);
  });
});

describe('REST API rate limit', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ config: { apps: [OTHER] } });
  });
  after(async () => {
    agent.destroy();
    await t.close();
  });

  /**
   * A request that passes authentication and the limit, then fails validation (empty payload),
   * through a keep-alive agent: fetch alone is too slow here to outrun 500/s from this process.
   */
  const cheap = () => fastPost(t, peerPath('flood'), seedPeerBody('x', ''));

  /** `count` requests at once; the answers, and how long the whole volley took. */
  async function volley(count: number, send: () => Promise<RestAnswer>): Promise<{ answers: RestAnswer[]; ms: number }> {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: count }, send));
    return { answers, ms: Date.now() - started };
  }

  it(`allows ${REST_REQUESTS_PER_SECOND}/s plus a burst of ${REST_BURST} per app id, then 429 TOO_OFTEN with Retry-After`, async () => {
    // Requests refused for their body (400) count like any other and cost no commit, so the volley
    // outruns the limit whatever the disk (a committed message takes a few ms here).
    const count = 2 * REST_REQUESTS_PER_SECOND;
    const { answers, ms } = await volley(count, cheap);
    const ok = answers.filter((a) => a.status === 400);
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(ok.length + limited.length, count, `only 400s and 429s: ${JSON.stringify(answers.find((a) => a.status !== 400 && a.status !== 429)?.body)}`);
    // The bucket: at most burst + rate × elapsed went through (plus one for rounding).
    const allowedAtMost = REST_BURST + Math.ceil((REST_REQUESTS_PER_SECOND * ms) / 1000) + 1;
    assert.ok(ok.length <= allowedAtMost, `${ok.length} passed in ${ms} ms; at most ${allowedAtMost} may`);
    assert.ok(ok.length >= REST_BURST, `the burst of ${REST_BURST} passes at once (${ok.length} passed)`);
    assert.ok(limited.length > 0, `some of ${count} requests in ${ms} ms were limited`);
    const refused = limited[0]!;
    assertFailure(refused, 429, 'TOO_OFTEN');
    const retryAfter = refused.headers.get('retry-after');
    assert.match(retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After in whole seconds');
    assert.match((refused.body as { message: string }).message, /500 requests per second/);

    // Another app has its own budget meanwhile.
    const otherAuth = { authorization: basic(OTHER.restKey, OTHER.restSecret), 'content-type': 'application/json' };
    assertSuccess(await post(t, peerPath('o', 'other'), seedPeerBody(), { headers: otherAuth }), 'message_sent');

    // After Retry-After the app may send again.
    await sleep(Number(retryAfter) * 1000);
    assertSuccess(await post(t, channelPath('flood'), { channel_name: 'flood', payload: 'again' }), 'message_sent');
  });

  it('a steady rate under the limit is never refused', async () => {
    await sleep(200); // let the bucket refill
    const perTick = 20;
    for (let tick = 0; tick < 10; tick++) {
      // 20 requests per 50 ms = 400/s.
      const started = Date.now();
      const { answers } = await volley(perTick, () => post(t, peerPath('steady'), seedPeerBody('x')));
      for (const answer of answers) assertSuccess(answer, 'message_sent');
      await sleep(Math.max(0, 50 - (Date.now() - started)));
    }
  });

  it('requests without valid credentials do not spend the app’s budget', async () => {
    await sleep(200);
    const bad = { authorization: basic('nope', 'nope'), 'content-type': 'application/json' };
    const { answers, ms } = await volley(2 * REST_REQUESTS_PER_SECOND, () => fastPost(t, peerPath('s'), seedPeerBody(), bad));
    for (const answer of answers) assert.equal(answer.status, 401);
    // Had they counted, at most burst + rate × elapsed could pass: fewer than the volley while under 1.9 s.
    assert.ok(ms < 1800, `the volley took ${ms} ms: too slow to have emptied the bucket had it counted`);
    // Had they counted, the bucket would be empty now: the whole burst still goes through.
    const { answers: burst } = await volley(REST_BURST, cheap);
    assert.deepEqual(burst.map((a) => a.status), burst.map(() => 400));
  });
});
