// Resumable uploads (tus 1.0 under /api/media/uploads): the server side of an upload that loses
// its connection and continues, and the rules a single upload has (token, app, owner, 30 MB, no
// empty files). The browser side, cut off by a proxy at 50%, is test/e2e/resumable-upload.test.ts.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_MEDIA_BYTES, MEDIA_TTL_MS, RESUMABLE_UPLOAD_TTL_MS } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from './helpers.js';
import { mediaFiles, mediaHeaders, mediaRows, patternChunk, sha256 } from './media-helpers.js';

const TUS = { 'tus-resumable': '1.0.0' };

describe('resumable uploads (tus)', () => {
  let t: TestServer;
  let alice: Record<string, string>;
  before(async () => {
    t = await startTestServer();
    alice = { ...mediaHeaders(await t.token('alice')), ...TUS };
  });
  after(() => t.close());

  const create = (length: number, headers = alice, metadata = `filetype ${Buffer.from('application/octet-stream').toString('base64')}`) =>
    fetch(`${t.url}/api/media/uploads`, { method: 'POST', headers: { ...headers, 'upload-length': String(length), 'upload-metadata': metadata } });
  const created = async (length: number) => {
    const response = await create(length);
    assert.equal(response.status, 201, await response.clone().text());
    return new URL(response.headers.get('location')!, t.url).href;
  };
  const patch = (url: string, offset: number, bytes: Uint8Array, headers = alice) =>
    fetch(url, { method: 'PATCH', headers: { ...headers, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body: new Uint8Array(bytes) });
  const offsetOf = async (url: string, headers = alice) => {
    const response = await fetch(url, { method: 'HEAD', headers });
    return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
  };

  it('continues after a connection breaks mid-body: the server keeps what arrived, the rest completes the file', async () => {
    const size = 1024 * 1024;
    const bytes = patternChunk(0, size);
    const url = await created(size);
    // The first PATCH dies with 40% of the body sent: a raw socket, closed mid-request.
    const sent = Math.floor(size * 0.4);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(t.server.port, '127.0.0.1', () => {
        const head = [
          `PATCH ${new URL(url).pathname} HTTP/1.1`,
          `host: 127.0.0.1:${t.server.port}`,
          ...Object.entries({ ...alice, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': String(size) }).map(([k, v]) => `${k}: ${v}`),
          '',
          '',
        ].join('\r\n');
        socket.write(head);
        socket.write(bytes.subarray(0, sent), () => setTimeout(() => socket.destroy(), 100));
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const where = await offsetOf(url);
    assert.equal(where.status, 200);
    assert.equal(where.offset, sent, 'every byte that arrived was kept');

    const last = await patch(url, where.offset, bytes.subarray(where.offset));
    assert.equal(last.status, 200);
    const result = (await last.json()) as { mediaId: string; size: number; contentType: string; expiresAt: number; uploadedAt: number };
    assert.equal(result.mediaId, url.slice(url.lastIndexOf('/') + 1), 'the upload id is the media id');
    assert.equal(result.size, size);
    assert.equal(result.expiresAt - result.uploadedAt, MEDIA_TTL_MS, 'the 7-day rule of any media file');
    assert.ok(mediaFiles(t.dataDir).includes(result.mediaId) && mediaRows(t.dataDir).includes(result.mediaId));
    const download = await fetch(`${t.url}/api/media/${result.mediaId}`, { headers: mediaHeaders(await t.token('alice')) });
    assert.equal(sha256(new Uint8Array(await download.arrayBuffer())), sha256(bytes), 'byte-identical');
    // Finished: the upload is no longer there to continue (its file is a media object now).
    assert.equal((await offsetOf(url)).status, 404);
  });

  it('a wrong offset is refused with 409 and changes nothing', async () => {
    const url = await created(10);
    assert.equal((await patch(url, 0, new Uint8Array(4))).status, 204);
    const wrong = await patch(url, 2, new Uint8Array(8));
    assert.equal(wrong.status, 409);
    assert.equal(((await wrong.json()) as { reason: string }).reason, 'INVALID_ARGUMENT');
    assert.equal((await offsetOf(url)).offset, 4);
  });

  it('refuses more than 30 MB, an empty file and server-only metadata, before any byte, as typed errors', async () => {
    const tooBig = await create(MAX_MEDIA_BYTES + 1);
    assert.equal(tooBig.status, 413);
    assert.equal(((await tooBig.json()) as { reason: string }).reason, 'MEDIA_TOO_LARGE');
    const empty = await create(0);
    assert.equal(empty.status, 400);
    assert.equal(((await empty.json()) as { reason: string }).reason, 'MEDIA_EMPTY');
    const forged = await create(5, alice, `rtm-uploader ${Buffer.from('mallory').toString('base64')}`);
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { reason: string }).reason, 'INVALID_ARGUMENT');
    const badType = await create(5, alice, `filetype ${Buffer.from('not a type').toString('base64')}`);
    assert.equal(badType.status, 400);
  });

  it('needs the login token, and an upload is its owner’s: anyone else is told it does not exist', async () => {
    const noToken = await fetch(`${t.url}/api/media/uploads`, { method: 'POST', headers: { ...TUS, 'x-rtm-app-id': 'demo', 'upload-length': '5' } });
    assert.equal(noToken.status, 401);
    assert.equal(((await noToken.json()) as { reason: string }).reason, 'INVALID_TOKEN');
    const url = await created(5);
    const bob = { ...mediaHeaders(await t.token('bob')), ...TUS };
    assert.equal((await offsetOf(url, bob)).status, 404);
    const bobPatch = await patch(url, 0, new Uint8Array(5), bob);
    assert.equal(bobPatch.status, 404);
    assert.equal(((await bobPatch.json()) as { reason: string }).reason, 'MEDIA_NOT_FOUND');
    assert.equal((await fetch(url, { method: 'DELETE', headers: bob })).status, 404);
    assert.equal((await offsetOf(url)).offset, 0, 'alice’s upload untouched');
  });

  it('cancelling (DELETE) drops what was received; an unfinished upload says when it expires', async () => {
    const response = await create(100);
    const url = new URL(response.headers.get('location')!, t.url).href;
    const expires = Date.parse(response.headers.get('upload-expires')!);
    assert.ok(Math.abs(expires - (Date.now() + RESUMABLE_UPLOAD_TTL_MS)) < 60_000, 'Upload-Expires a day ahead');
    assert.equal((await patch(url, 0, new Uint8Array(50))).status, 204);
    assert.equal((await fetch(url, { method: 'DELETE', headers: alice })).status, 204);
    assert.equal((await offsetOf(url)).status, 404);
  });
});
