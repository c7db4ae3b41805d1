import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { MEDIA_ORPHAN_GRACE_MS, MEDIA_TTL_MS, type WireFileMessage } from '../../src/protocol/index.js';
import { createToken, startServer } from '../../src/server/index.js';
import { provisionApps } from '../../src/server/apps.js';
import { newMediaId } from '../../src/server/media/ids.js';
import { MediaSweeper } from '../../src/server/media/sweeper.js';
import { createDiskMediaObjects } from '../../src/server/storage/disk/media-objects.js';
import { createSqliteStorage } from '../../src/server/storage/sqlite/index.js';
import { manualClock, startTestServer } from './helpers.js';
import { mediaFiles, mediaHeaders, mediaRows, uploadOk } from './media-helpers.js';

describe('media expiry', () => {
  it('answers MEDIA_EXPIRED after 7 days, and a sweep deletes file and row', async () => {
    const clock = manualClock(Date.UTC(2031, 2, 1));
    const t = await startTestServer({ now: clock.now });
    try {
      const old = await uploadOk(t, 'a week old');
      clock.advance(60_000);
      const newer = await uploadOk(t, 'a minute younger');
      const get = async (id: string, path = '') =>
        fetch(`${t.url}/api/media/${id}${path}`, { headers: mediaHeaders(await t.token('bob')) });

      clock.advance(MEDIA_TTL_MS - 60_000 - 1); // 1 ms before the old one expires
      let response = await get(old.mediaId);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'private, max-age=0, immutable');
      await response.arrayBuffer();

      clock.advance(1); // exactly MEDIA_TTL_MS after the upload
      for (const path of ['', '/info']) {
        response = await get(old.mediaId, path);
        assert.deepEqual([response.status, await response.json()], [
          404,
          { code: 415, reason: 'MEDIA_EXPIRED', message: `Media object "${old.mediaId}" expired at ${new Date(old.expiresAt).toISOString()}.` },
        ]);
      }
      response = await fetch(`${t.url}/api/media/${old.mediaId}/url`, { method: 'POST', headers: mediaHeaders(await t.token('bob')) });
      assert.equal(((await response.json()) as { reason: string }).reason, 'MEDIA_EXPIRED');
      const alice = await t.connect('alice');
      const message: WireFileMessage = { type: 'FILE', mediaId: old.mediaId, size: old.size, fileName: 'old.txt' };
      const error = await alice.requestError({ t: 'peer.send', to: 'bob', cmid: 'expired-1', message, offline: true });
      assert.deepEqual([error.code, error.reason], [415, 'MEDIA_EXPIRED']);

      // The row and file linger until the sweep…
      assert.deepEqual(mediaRows(t.dataDir), [old.mediaId, newer.mediaId].sort());
      assert.equal(await t.server.sweepMedia(), 1);
      // … which removes exactly the expired object.
      assert.deepEqual(mediaFiles(t.dataDir), [newer.mediaId]);
      assert.deepEqual(mediaRows(t.dataDir), [newer.mediaId]);
      response = await get(old.mediaId);
      assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [404, 'MEDIA_NOT_FOUND']);
      response = await get(newer.mediaId);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'a minute younger');
      assert.equal(await t.server.sweepMedia(), 0);
    } finally {
      await t.close();
    }
  });

  it('a sweep cut short after deleting files (rows left) is harmless and finished by the next one', async () => {
    const clock = manualClock(Date.UTC(2031, 2, 1));
    const t = await startTestServer({ now: clock.now });
    try {
      const { mediaId } = await uploadOk(t, 'x');
      clock.advance(MEDIA_TTL_MS);
      await unlink(join(t.dataDir, 'media', mediaId)); // what a crash between the two steps leaves
      const response = await fetch(`${t.url}/api/media/${mediaId}`, { headers: mediaHeaders(await t.token('bob')) });
      assert.equal(((await response.json()) as { reason: string }).reason, 'MEDIA_EXPIRED');
      assert.equal(await t.server.sweepMedia(), 1);
      assert.deepEqual(mediaRows(t.dataDir), []);
    } finally {
      await t.close();
    }
  });

  it('on start: sweeps expired media, removes old temp files and old files without a row, keeps the rest', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rtm-media-restart-'));
    const clock = manualClock(Date.UTC(2031, 2, 1));
    let server = await startServer({ port: 0, dataDir, now: clock.now });
    const secret = server.createdApps[0]!.tokenSecret;
    const headers = async () => mediaHeaders(await createToken({ appId: 'demo', uid: 'alice', secret, now: clock.now() }));
    try {
      const put = async (body: string) => {
        const response = await fetch(`${server.url}/api/media`, { method: 'POST', headers: await headers(), body });
        assert.equal(response.status, 201);
        return ((await response.json()) as { mediaId: string }).mediaId;
      };
      await put('expires before the restart');
      clock.advance(MEDIA_TTL_MS / 2);
      const kept = await put('still valid after the restart');
      await server.close();

      // What crashes leave behind: an upload cut short, and a committed file whose row was never
      // written, last touched longer ago than the grace period (file times are the real clock's)…
      const orphan = 'O'.repeat(22);
      const stale = (Date.now() - MEDIA_ORPHAN_GRACE_MS - 60_000) / 1000;
      for (const [name, body] of [[`.${orphan}.abc123.partial`, 'half an upload'], [orphan, 'no row points here']] as const) {
        await writeFile(join(dataDir, 'media', name), body);
        await utimes(join(dataDir, 'media', name), stale, stale);
      }
      // … and the same, younger: possibly another node's upload in progress on a shared directory.
      const young = 'Y'.repeat(22);
      await writeFile(join(dataDir, 'media', `.${young}.def456.partial`), 'an upload in progress elsewhere');
      await writeFile(join(dataDir, 'media', young), 'its row is being inserted');
      await writeFile(join(dataDir, 'media', 'notes.txt'), 'not a media id: not ours to delete');

      clock.advance(MEDIA_TTL_MS / 2);
      server = await startServer({ port: 0, dataDir, now: clock.now });
      assert.deepEqual(mediaFiles(dataDir), [kept, 'notes.txt', young, `.${young}.def456.partial`].sort());
      assert.deepEqual(mediaRows(dataDir), [kept]);
      const response = await fetch(`${server.url}/api/media/${kept}`, { headers: await headers() });
      assert.equal(await response.text(), 'still valid after the restart');
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('two nodes sweeping one store and one directory at once delete each object once, and neither fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtm-media-sweepers-'));
    const storage = createSqliteStorage(dir);
    const objects = createDiskMediaObjects(join(dir, 'media'));
    try {
      await provisionApps(storage.apps, undefined, 0); // the demo app the rows belong to
      const ids = Array.from({ length: 30 }, () => newMediaId());
      for (const mediaId of ids) {
        const writer = await objects.create(mediaId);
        writer.stream.end('expired');
        await finished(writer.stream);
        await writer.commit();
        await storage.media.insert({ mediaId, appId: 'demo', uploader: 'alice', size: 7, contentType: 'text/plain', sha256: 'x', uploadedAt: 0, expiresAt: 1 });
      }
      const log = { error: () => {} } as unknown as FastifyBaseLogger;
      // Two sweepers are what two nodes run: same expired ids listed, files and rows deleted side by side.
      const nodes = [0, 1].map(() => new MediaSweeper(storage.media, objects, () => 2, log));
      const counts = await Promise.all(nodes.map((node) => node.sweep()));
      assert.equal(counts[0]! + counts[1]!, ids.length);
      assert.deepEqual(mediaFiles(dir), []);
      assert.deepEqual(await storage.media.existing(ids), new Set());
      assert.deepEqual(await Promise.all(nodes.map((node) => node.sweep())), [0, 0]);
    } finally {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
