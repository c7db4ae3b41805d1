/**
 * Media on several nodes: two server processes on one PostgreSQL, one Redis and one media
 * directory (RTM_MEDIA_DIR). Needs RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL
 * (scripts/local-services.sh prints both); skipped, and said so, without them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA_ORPHAN_GRACE_MS, type UploadResult } from '../../src/protocol/index.js';
import { dropClusterKeys } from './cluster/state.js';
import { spawnCli, startTestServer, type CliServer, type TestServer } from './helpers.js';
import { mediaHeaders, patternChunk, sha256 } from './media-helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

const redisUrl = process.env.RTM_TEST_REDIS_URL;
const skip =
  TEST_DATABASE_URL === undefined || !redisUrl
    ? 'RTM_TEST_DATABASE_URL and RTM_TEST_REDIS_URL are not both set (scripts/local-services.sh prints them): shared-media test SKIPPED'
    : false;
if (skip) console.log(`# ${skip}`);

/** A PNG header (1×1) and some pattern bytes: enough for the server to read width and height. */
function pngBytes(total: number): Buffer {
  const header = Buffer.from('89504e470d0a1a0a0000000d494844520000000300000002080600000000', 'hex');
  return Buffer.concat([header, patternChunk(0, total - header.length)]);
}

/**
 * An upload the test paces: the first half is written at once, the rest on `finish()`. Resolves
 * `started` once the server wrote the first bytes to a temp file.
 */
function pacedUpload(url: string, headers: Record<string, string>, body: Buffer) {
  const req = request(`${url}/api/media`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'image/png', 'content-length': String(body.length) },
  });
  const answer = new Promise<{ status: number; body: UploadResult }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as UploadResult }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, body.length / 2));
  return { answer, finish: () => req.end(body.subarray(body.length / 2)) };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('media shared by two nodes (one PostgreSQL, one Redis, one RTM_MEDIA_DIR)', { skip }, () => {
  let database: { url: string; drop(): Promise<void> };
  let mediaDir: string;
  let dataDirB: string;
  let nodeA: TestServer;
  let nodeB: CliServer | undefined;
  const redisPrefix = `media-shared-${randomBytes(4).toString('hex')}`;

  before(async () => {
    database = await createTestDatabase();
    mediaDir = await mkdtemp(join(tmpdir(), 'rtm-shared-media-'));
    dataDirB = await mkdtemp(join(tmpdir(), 'rtm-node-b-'));
    nodeA = await startTestServer({ databaseUrl: database.url, redisUrl: redisUrl!, redisPrefix, mediaDir });
  });

  after(async () => {
    nodeB?.child.kill('SIGTERM');
    await nodeB?.exited;
    await nodeA?.close();
    await database?.drop();
    await dropClusterKeys(redisUrl!, redisPrefix);
    await rm(mediaDir, { recursive: true, force: true });
    await rm(dataDirB, { recursive: true, force: true });
  });

  it("node B starting mid-upload on A leaves A's upload alone, cleans stale leftovers, and serves A's object", async () => {
    // Leftovers of a crash long ago, which B's start-up cleanup must still remove.
    const stale = (Date.now() - MEDIA_ORPHAN_GRACE_MS - 60_000) / 1000;
    const orphan = 'O'.repeat(22);
    for (const name of [`.${orphan}.abc123.partial`, orphan]) {
      await writeFile(join(mediaDir, name), 'left by a crash');
      await utimes(join(mediaDir, name), stale, stale);
    }

    const body = pngBytes(2 * 1024 * 1024);
    const upload = pacedUpload(nodeA.url, mediaHeaders(await nodeA.token('alice')), body);
    const partials = () => readdirSync(mediaDir).filter((name) => name.endsWith('.partial') && !name.includes(orphan));
    await until(() => partials().length === 1, "A's temp file");

    // B starts now: its cleanup runs over the directory while A is half-way through.
    nodeB = await spawnCli({
      RTM_DATA_DIR: dataDirB,
      RTM_DATABASE_URL: database.url,
      RTM_REDIS_URL: redisUrl!,
      RTM_REDIS_PREFIX: redisPrefix,
      RTM_MEDIA_DIR: mediaDir,
    });
    assert.equal(partials().length, 1, "A's upload in progress survives B's start");
    assert.ok(!existsSync(join(mediaDir, orphan)) && !existsSync(join(mediaDir, `.${orphan}.abc123.partial`)), 'stale leftovers are removed');
    assert.ok(!existsSync(join(dataDirB, 'media')), "B keeps no media of its own: RTM_MEDIA_DIR is the one place");

    upload.finish();
    const { status, body: result } = await upload.answer;
    assert.equal(status, 201);
    assert.deepEqual([result.size, result.width, result.height], [body.length, 3, 2]);

    const bob = mediaHeaders(await nodeA.token('bob'));
    const whole = await fetch(`${nodeB.url}/api/media/${result.mediaId}`, { headers: bob });
    assert.equal(whole.status, 200);
    assert.equal(sha256(new Uint8Array(await whole.arrayBuffer())), sha256(body));

    const range = await fetch(`${nodeB.url}/api/media/${result.mediaId}`, { headers: { ...bob, range: 'bytes=1000-1999' } });
    assert.equal(range.status, 206);
    assert.equal(range.headers.get('content-range'), `bytes 1000-1999/${body.length}`);
    assert.deepEqual(Buffer.from(await range.arrayBuffer()), body.subarray(1000, 2000));

    const info = await fetch(`${nodeB.url}/api/media/${result.mediaId}/info`, { headers: bob });
    const described = (await info.json()) as { size: number; width: number; height: number };
    assert.deepEqual([info.status, described.size, described.width, described.height], [200, body.length, 3, 2]);
  });
});
