// A file upload that loses its connection half-way continues where it stopped: alice's page talks
// to the server through a proxy that cuts her upload's connection once half the file has passed.
// The upload still completes, bob downloads exactly the bytes alice sent, and fewer than 60% of
// them crossed twice.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- a plain ESM script shared with the browser test config
import { freePort } from '../../scripts/server-process.mjs';
import { customerPage, endToEnd, serveOtherOrigin } from './helpers.js';

const { server, openPage } = endToEnd('resumable-upload');

/**
 * A TCP proxy to the server that counts the bytes of every PATCH to a resumable upload, cuts the
 * first one's connection (both ways) after `cutAfter` of them, and then drops every new connection
 * for `outageMs`, as a network that is gone for a while (so the browser's own silent retry of the
 * request fails too, and the client has to resume).
 */
async function cuttingProxy(targetPort: number, cutAfter: number, outageMs: number) {
  const port = (await freePort()) as number;
  const stats = { patchBytes: 0, cuts: 0, refused: 0 };
  let downUntil = 0;
  const proxy = createServer((client: Socket) => {
    if (Date.now() < downUntil) {
      stats.refused++;
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    let inPatch = false;
    let patchBytesHere = 0;
    client.on('data', (chunk: Buffer) => {
      // A request starts at a chunk's start on these connections (the browser writes its head first).
      const head = chunk.subarray(0, 40).toString('latin1');
      if (/^[A-Z]+ \//.test(head)) inPatch = head.startsWith('PATCH /api/media/uploads/');
      if (!inPatch) return void upstream.write(chunk);
      if (stats.cuts === 0 && patchBytesHere + chunk.length >= cutAfter) {
        const allowed = cutAfter - patchBytesHere;
        upstream.write(chunk.subarray(0, allowed));
        stats.patchBytes += allowed;
        stats.cuts++;
        // Let the allowed bytes reach the server, then drop both sides as a lost network would.
        setTimeout(() => {
          downUntil = Date.now() + outageMs;
          upstream.destroy();
          client.destroy();
        }, 100);
        client.pause();
        return;
      }
      patchBytesHere += chunk.length;
      stats.patchBytes += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, stats, close: () => new Promise<void>((resolve) => proxy.close(() => resolve())) };
}

describe('resumable uploads', () => {
  it('an upload cut off at 50% continues from there: complete, byte-identical, under 60% sent twice', async () => {
    const size = 6 * 1024 * 1024;
    const file = randomBytes(size);
    const proxy = await cuttingProxy(server.port, size / 2, 1500);
    const run = Date.now().toString(36);
    const [alice, bob] = [`ru-alice-${run}`, `ru-bob-${run}`];
    // alice's page uses the proxy as its chat server; bob's talks to the server directly.
    const site = await serveOtherOrigin({
      '/alice.html': customerPage(server.url, alice, `peer="${bob}"`).replaceAll(`server="${server.url}"`, `server="${proxy.url}"`),
      '/bob.html': customerPage(server.url, bob, `peer="${alice}"`),
    });
    const alicePage = await openPage(`${site.origin}/alice.html`);
    const bobPage = await openPage(`${site.origin}/bob.html`, { acceptDownloads: true });
    try {
      const aliceChat = alicePage.page.locator('rtm-channel');
      const bobChat = bobPage.page.locator('rtm-channel');
      await aliceChat.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
      await bobChat.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
      await aliceChat.locator('input[type="file"]').setInputFiles({ name: 'archive.bin', mimeType: 'application/octet-stream', buffer: file });

      // bob gets the file message and downloads it.
      const [download] = await Promise.all([
        bobPage.page.waitForEvent('download', { timeout: 60_000 }),
        bobChat.getByRole('button', { name: 'Download archive.bin' }).click({ timeout: 60_000 }),
      ]);
      const saved = await readFile((await download.path())!);
      assert.equal(createHash('sha256').update(saved).digest('hex'), createHash('sha256').update(file).digest('hex'), 'byte-identical');

      assert.equal(proxy.stats.cuts, 1, 'the upload’s connection was cut once');
      const sentTwice = proxy.stats.patchBytes - size;
      assert.ok(sentTwice >= 0, `every byte crossed: ${proxy.stats.patchBytes} of ${size}`);
      assert.ok(sentTwice < 0.6 * size, `${((sentTwice / size) * 100).toFixed(1)}% of the bytes were sent twice`);
      // The bound would let a restart from the first byte pass (50% twice); resuming from
      // the server's offset sends little more than the request heads twice.
      assert.ok(sentTwice < 0.05 * size, `resumed from where the server stopped, not from the start (${sentTwice} bytes twice)`);
      console.log(`resumable upload: ${size} bytes, ${proxy.stats.patchBytes} sent in PATCH bodies, ${((sentTwice / size) * 100).toFixed(1)}% twice`);
      // alice's side shows it sent, with no failure or Retry left over.
      const log = aliceChat.getByRole('log');
      await log.getByText(/^(Sent|Delivered|Read)$/).first().waitFor({ timeout: 20_000 });
      assert.equal(await aliceChat.getByRole('button', { name: /^Retry/ }).count(), 0);
      assert.deepEqual([...alicePage.errors.filter((error) => !error.includes('Failed to load resource')), ...bobPage.errors], []);
    } finally {
      await alicePage.close();
      await bobPage.close();
      await site.close();
      await proxy.close();
    }
  });
});
