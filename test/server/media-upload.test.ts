import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_MEDIA_BYTES, MEDIA_TTL_MS } from '../../src/protocol/index.js';
import { createDiskMediaObjects } from '../../src/server/storage/disk/media-objects.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import type { MediaObjects, Storage } from '../../src/server/storage/types.js';
import * as sample from '../protocol/image-samples.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';
import { eventually, mediaFiles, mediaHeaders, mediaRows, streamUpload, upload, uploadOk } from './media-helpers.js';

const OTHER = {
  id: 'other',
  restKey: 'k',
  restSecret: 's',
  tokenSecret: 'other-app-token-secret-0123456789abcdef',
  allowedOrigins: ['https://other.example'],
};

describe('POST /api/media', () => {
  const clock = manualClock(Date.UTC(2031, 0, 1));
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now, config: { apps: [OTHER] } });
  });
  after(() => t.close());

  it('stores the bytes and answers 201 with the UploadResult', async () => {
    const { status, body } = await upload(t, 'hello, media', { contentType: 'Text/Plain; charset=UTF-8' });
    assert.equal(status, 201);
    assert.match(body.mediaId, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(body, {
      mediaId: body.mediaId,
      size: 12,
      contentType: 'text/plain',
      uploadedAt: clock.now(),
      expiresAt: clock.now() + MEDIA_TTL_MS,
    });
    // Named by the id only; the row carries the uploader, the hash and the type.
    assert.ok(mediaFiles(t.dataDir).includes(body.mediaId));
    assert.ok(mediaRows(t.dataDir).includes(body.mediaId));
  });

  it('keeps any Content-Type away from body parsers: JSON and form-encoded bodies are stored as bytes', async () => {
    for (const [contentType, bytes] of [
      ['application/json', '{"not": "parsed"'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
      ['image/svg+xml', sample.svg()],
    ] as const) {
      const result = await uploadOk(t, bytes, contentType);
      assert.equal(result.contentType, contentType);
      const download = await fetch(`${t.url}/api/media/${result.mediaId}`, { headers: mediaHeaders(await t.token('bob')) });
      assert.deepEqual(new Uint8Array(await download.arrayBuffer()), typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    }
  });

  it('defaults the type to application/octet-stream and refuses malformed types and form posts', async () => {
    const response = await fetch(`${t.url}/api/media`, {
      method: 'POST',
      headers: mediaHeaders(await t.token('alice')),
      body: new Blob([new Uint8Array([1, 2, 3])]), // a Blob without a type: fetch sends no Content-Type
    });
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as { contentType: string }).contentType, 'application/octet-stream');
    for (const contentType of ['png', 'image/', 'a/b/c', 'image/png extra', 'multipart/form-data; boundary=x']) {
      const { status, body } = await upload(t, 'x', { contentType });
      assert.equal(status, 400, contentType);
      assert.equal(body.reason, 'INVALID_ARGUMENT');
    }
  });

  it('refuses an empty body with 400 MEDIA_EMPTY, with or without a Content-Type', async () => {
    const headers = mediaHeaders(await t.token('alice'));
    for (const init of [{}, { body: '' }, { body: '', headers: { 'content-type': 'image/png' } }]) {
      const response = await fetch(`${t.url}/api/media`, { method: 'POST', ...init, headers: { ...headers, ...init.headers } });
      assert.equal(response.status, 400);
      assert.deepEqual(((await response.json()) as { code: number; reason: string }).reason, 'MEDIA_EMPTY');
    }
    const chunkedEmpty = await streamUpload(t.url, headers, 0, { contentLength: false });
    assert.deepEqual([chunkedEmpty.status, chunkedEmpty.body.code], [400, 411]);
    assert.deepEqual(mediaRows(t.dataDir).length, mediaFiles(t.dataDir).length);
  });

  it('refuses requests without valid credentials with 401 and a code, before reading the body', async () => {
    const alice = await t.token('alice');
    const otherAppToken = await t.token('alice', { appId: 'other', secret: OTHER.tokenSecret });
    const cases: [string, Record<string, string>, number, string][] = [
      ['no Authorization', { 'x-rtm-app-id': 'demo' }, 401, 'INVALID_TOKEN'],
      ['not Bearer', { authorization: `Basic ${alice}`, 'x-rtm-app-id': 'demo' }, 401, 'INVALID_TOKEN'],
      ['garbage token', mediaHeaders('not.a.jwt'), 401, 'INVALID_TOKEN'],
      ['expired token', mediaHeaders(await t.token('alice', { now: clock.now() - 2 * 86_400_000, expiresInSeconds: 60 })), 401, 'TOKEN_EXPIRED'],
      ['no app id', { authorization: `Bearer ${alice}` }, 401, 'INVALID_APP_ID'],
      ['unknown app', mediaHeaders(alice, 'nope'), 401, 'INVALID_APP_ID'],
      ["another app's token, named as demo", mediaHeaders(otherAppToken, 'demo'), 401, 'INVALID_TOKEN'],
      ['a demo token, named as the other app', mediaHeaders(alice, 'other'), 401, 'INVALID_TOKEN'],
    ];
    for (const [name, headers, status, reason] of cases) {
      // Content-Length promises 1 MB that is never sent: an answer proves nothing was waited for.
      const result = await streamUpload(t.url, headers, 1024 * 1024, { holdBodyMs: 2000 });
      assert.equal(result.status, status, name);
      assert.equal(result.body.reason, reason, name);
      assert.equal(result.sent, 0, `${name}: answered before any body byte was sent`);
      assert.ok(result.closed, `${name}: the connection is closed rather than drained`);
    }
    const response = await fetch(`${t.url}/api/media`, { method: 'POST', headers: { 'x-rtm-app-id': 'demo' }, body: 'x' });
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="rtm-chat"');
  });

  it("accepts the app's own token with ?appId=, and checks the page origin against the app", async () => {
    const token = await t.token('carol', { appId: 'other', secret: OTHER.tokenSecret });
    const allowed = await upload(t, 'x', { headers: { authorization: `Bearer ${token}`, origin: 'https://other.example' }, query: '?appId=other' });
    assert.equal(allowed.status, 201);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://other.example');
    const refused = await upload(t, 'x', { headers: { ...mediaHeaders(token, 'other'), origin: 'https://evil.example' } });
    assert.deepEqual([refused.status, refused.body.reason], [403, 'ORIGIN_NOT_ALLOWED']);
  });

  it('refuses Content-Length over 30 MB with 413 at once, without reading the body', async () => {
    const headers = mediaHeaders(await t.token('alice'));
    const result = await streamUpload(t.url, headers, MAX_MEDIA_BYTES + 1, { holdBodyMs: 2000 });
    assert.equal(result.status, 413);
    assert.deepEqual(result.body, { code: 412, reason: 'MEDIA_TOO_LARGE', message: result.body.message });
    assert.equal(result.sent, 0);
    assert.ok(result.ms < 1500, `answered in ${result.ms} ms`);
    assert.ok(result.closed);
  });

  it('stops a chunked body at the limit: 413 while the client still sends, nothing kept', async () => {
    const before = mediaFiles(t.dataDir);
    const offered = 200 * 1024 * 1024;
    const result = await streamUpload(t.url, mediaHeaders(await t.token('alice')), offered, { contentLength: false });
    assert.equal(result.status, 413);
    assert.equal(result.body.reason, 'MEDIA_TOO_LARGE');
    assert.ok(result.closed);
    // What the client managed to write: the limit plus what socket buffers held when the server stopped.
    assert.ok(result.sent > MAX_MEDIA_BYTES && result.sent < MAX_MEDIA_BYTES + 16 * 1024 * 1024, `sent ${result.sent}`);
    assert.ok(await eventually(() => mediaFiles(t.dataDir).length === before.length), 'the temp file is removed');
    assert.deepEqual(mediaFiles(t.dataDir), before);
  });

  it('an upload aborted mid-body leaves no file and no row', async () => {
    const before = { files: mediaFiles(t.dataDir), rows: mediaRows(t.dataDir) };
    const req = request(`${t.url}/api/media`, {
      method: 'POST',
      headers: { ...mediaHeaders(await t.token('alice')), 'content-length': String(10 * 1024 * 1024) },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(2 * 1024 * 1024, 7));
    // The server is streaming to a temp file in <dataDir>/media …
    assert.ok(await eventually(() => mediaFiles(t.dataDir).some((name) => name.endsWith('.partial'))), 'a temp file appears');
    req.destroy(); // … when the client goes away.
    assert.ok(await eventually(() => mediaFiles(t.dataDir).length === before.files.length), 'the temp file is removed');
    assert.deepEqual(mediaFiles(t.dataDir), before.files);
    assert.deepEqual(mediaRows(t.dataDir), before.rows);
    // And the server is fine.
    assert.equal((await upload(t, 'still works')).status, 201);
  });

  it('reads width and height from JPEG, PNG, BMP, GIF and WebP headers, and none from other files', async () => {
    const images: [string, Uint8Array, string, number, number][] = [
      ['JPEG with EXIF', sample.jpeg(4032, 3024, { app1Bytes: 30_000 }), 'image/jpeg', 4032, 3024],
      ['progressive JPEG', sample.jpeg(800, 600, { sof: 0xc2 }), 'image/jpeg', 800, 600],
      ['PNG', sample.png(640, 480), 'image/png', 640, 480],
      ['BMP top-down', sample.bmp(300, -150), 'image/bmp', 300, 150],
      ['GIF', sample.gif(320, 200), 'image/gif', 320, 200],
      ['WebP lossy', sample.webpLossy(400, 300), 'image/webp', 400, 300],
      ['WebP lossless', sample.webpLossless(123, 45), 'image/webp', 123, 45],
      ['WebP extended', sample.webpExtended(5000, 2000), 'image/webp', 5000, 2000],
      // The header decides, not the declared type.
      ['PNG declared as octet-stream', sample.png(7, 9), 'application/octet-stream', 7, 9],
    ];
    for (const [name, bytes, contentType, width, height] of images) {
      const result = await uploadOk(t, bytes, contentType);
      assert.deepEqual([result.width, result.height], [width, height], name);
      const info = await fetch(`${t.url}/api/media/${result.mediaId}/info`, { headers: mediaHeaders(await t.token('bob')) });
      assert.deepEqual(await info.json(), result, `${name}: /info says the same`);
    }
    for (const bytes of [sample.svg(), 'plain text', sample.png(10, 10).subarray(0, 20)]) {
      const result = await uploadOk(t, bytes, 'image/png');
      assert.equal('width' in result || 'height' in result, false);
    }
  });
});

describe('POST /api/media when storage fails', () => {
  it('a disk error mid-body, or a row that cannot be written, answers 500 and leaves no file and no row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-media-fail-'));
    const disk = createDiskMediaObjects(join(dir, 'media'));
    let failAfter = Infinity;
    // The real disk store, whose writes fail after `failAfter` bytes, like a full disk.
    const objects: MediaObjects = {
      ...disk,
      async create(mediaId) {
        const writer = await disk.create(mediaId);
        let written = 0;
        const write = writer.stream.write.bind(writer.stream) as (chunk: Buffer) => boolean;
        writer.stream.write = ((chunk: Buffer) => {
          written += chunk.length;
          if (written <= failAfter) return write(chunk);
          writer.stream.destroy(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
          return false;
        }) as typeof writer.stream.write;
        return writer;
      },
    };
    const real = createSqliteStorage(dir);
    let failInsert = false;
    const storage: Storage = {
      ...real,
      media: {
        ...real.media,
        async insert(record) {
          if (failInsert) throw new Error('SQLITE_FULL');
          return real.media.insert(record);
        },
      },
    };
    const t = await startTestServer({ storage, mediaObjects: objects, logger: { level: 'silent' } });
    try {
      failAfter = 1024 * 1024;
      const failed = await streamUpload(t.url, mediaHeaders(await t.token('alice')), 4 * 1024 * 1024);
      assert.deepEqual([failed.status, failed.body.reason], [500, 'INTERNAL_ERROR']);
      assert.ok(failed.closed, 'the rest of the body is not read');
      assert.ok(await eventually(() => mediaFiles(dir).length === 0), 'the temp file is removed');

      failAfter = Infinity;
      failInsert = true;
      const unrecorded = await upload(t, 'bytes whose row cannot be written');
      assert.deepEqual([unrecorded.status, unrecorded.body.reason], [500, 'INTERNAL_ERROR']);
      assert.deepEqual(mediaFiles(dir), [], 'the committed file is deleted again');

      failInsert = false;
      const fine = await uploadOk(t, 'fine again');
      assert.deepEqual(mediaFiles(dir), [fine.mediaId]);
      assert.deepEqual(mediaRows(dir), [fine.mediaId]);
    } finally {
      await t.close();
      await real.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
