/**
 * 30 MB uploads. Memory is measured twice:
 *
 * - live memory, in-process: the collector runs every 25 ms during the upload, so what remains is
 *   what the server holds on to — a server that buffered the body would hold 30 MB by its end;
 * - resident memory of the real CLI in a child process (/proc/<pid>/status), reported with the
 *   throughput. RSS also counts garbage not yet collected: socket chunks are freed by the GC in
 *   batches (V8 waits for tens of MB of external memory), so RSS rises once by about that much and
 *   is reused afterwards — it is reported, not asserted, since it depends on GC heuristics rather
 *   than on what the server keeps.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_MEDIA_BYTES } from '../../src/protocol/index.js';
import { createToken } from '../../src/server/index.js';
import { spawnCli, startTestServer, type CliServer } from './helpers.js';
import { digestBody, mediaFiles, mediaHeaders, streamUpload } from './media-helpers.js';

const MB = 1024 * 1024;

/** Resident and peak resident memory of a process, in bytes (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Samples a process's RSS every few ms until stopped; resolves with the highest value seen. */
function sampleRss(pid: number) {
  let max = memoryOf(pid).rss;
  const timer = setInterval(() => (max = Math.max(max, memoryOf(pid).rss)), 5);
  return () => {
    clearInterval(timer);
    return Math.max(max, memoryOf(pid).rss);
  };
}

/** Resets the kernel's peak-RSS counter (VmHWM) of a process we own; false where not supported. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

describe('30 MB upload, server in-process', () => {
  it('holds no more than a few chunks of live memory while streaming 30 MB', async (context) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const t = await startTestServer();
    try {
      const headers = mediaHeaders(await t.token('alice'));
      assert.equal((await streamUpload(t.url, headers, 4 * MB)).status, 201); // warm up
      gc();
      const baseline = process.memoryUsage();
      let peak = { arrayBuffers: 0, heapUsed: 0 };
      const timer = setInterval(() => {
        gc();
        const now = process.memoryUsage();
        peak = { arrayBuffers: Math.max(peak.arrayBuffers, now.arrayBuffers), heapUsed: Math.max(peak.heapUsed, now.heapUsed) };
      }, 25);
      const result = await streamUpload(t.url, headers, MAX_MEDIA_BYTES);
      clearInterval(timer);
      assert.equal(result.status, 201);
      // Client and server together, give or take ~6 MB of buffers in flight between samples; a
      // server that buffered the body would be at +25 MB or more by the last sample.
      const buffers = peak.arrayBuffers - baseline.arrayBuffers;
      const heap = peak.heapUsed - baseline.heapUsed;
      context.diagnostic(`live memory during a 30 MB upload (client + server): ArrayBuffers +${(buffers / MB).toFixed(1)} MB, heap +${(heap / MB).toFixed(1)} MB`);
      assert.ok(buffers < 12 * MB, `live ArrayBuffers grew by ${(buffers / MB).toFixed(1)} MB`);
      assert.ok(heap < 8 * MB, `live heap grew by ${(heap / MB).toFixed(1)} MB`);
    } finally {
      await t.close();
    }
  });
});

describe('30 MB uploads (CLI server in a child process)', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let cli: CliServer;
  let dataDir: string;
  let headers: Record<string, string>;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rtm-media-large-'));
    cli = await spawnCli({ RTM_DATA_DIR: dataDir, RTM_DEV_TOKENS: '0' });
    const secret = /tokenSecret:\s+(\S+)/.exec(cli.output())![1]!;
    headers = mediaHeaders(await createToken({ appId: 'demo', uid: 'alice', secret }));
    // Warm up: the first requests compile code and grow the heap once; that is not per-file memory.
    for (const size of [10, MB, 4 * MB]) assert.equal((await streamUpload(cli.url, headers, size)).status, 201);
  });
  after(async () => {
    cli.child.kill('SIGTERM');
    await cli.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts exactly 30 MB, streamed, and gives the same bytes back (throughput and RSS reported)', async (t) => {
    const pid = cli.child.pid!;
    const baseline = memoryOf(pid).rss;
    const peakReset = resetPeak(pid);
    const stop = sampleRss(pid);
    const result = await streamUpload(cli.url, headers, MAX_MEDIA_BYTES);
    const sampledPeak = stop();
    const peak = peakReset ? Math.max(sampledPeak, memoryOf(pid).peak) : sampledPeak;

    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.equal(result.body.size, MAX_MEDIA_BYTES);
    const growth = peak - baseline;
    const throughput = MAX_MEDIA_BYTES / MB / (result.ms / 1000);
    t.diagnostic(`upload 30 MB: ${result.ms.toFixed(0)} ms, ${throughput.toFixed(0)} MB/s; server RSS ${(baseline / MB).toFixed(1)} MB → peak ${(peak / MB).toFixed(1)} MB (+${(growth / MB).toFixed(1)} MB${peakReset ? ', VmHWM' : ', sampled'})`);

    const started = performance.now();
    const response = await fetch(`${cli.url}/api/media/${result.body.mediaId as string}`, { headers });
    const { size, sha256 } = await digestBody(response);
    const downloadMs = performance.now() - started;
    t.diagnostic(`download 30 MB: ${downloadMs.toFixed(0)} ms, ${(MAX_MEDIA_BYTES / MB / (downloadMs / 1000)).toFixed(0)} MB/s`);
    assert.equal(size, MAX_MEDIA_BYTES);
    assert.equal(sha256, result.sha256);
    assert.equal(response.headers.get('etag'), `"${result.sha256}"`);
  });

  it('refuses 30 MB + 1 with 413 (chunked: at the last byte; declared: before the body), keeping nothing', async (t) => {
    const pid = cli.child.pid!;
    const before = mediaFiles(dataDir);
    const baseline = memoryOf(pid).rss;
    const peakReset = resetPeak(pid);
    const stop = sampleRss(pid);
    const result = await streamUpload(cli.url, headers, MAX_MEDIA_BYTES + 1, { contentLength: false });
    const sampledPeak = stop();
    const peak = peakReset ? Math.max(sampledPeak, memoryOf(pid).peak) : sampledPeak;
    assert.equal(result.status, 413);
    assert.equal(result.body.reason, 'MEDIA_TOO_LARGE');
    t.diagnostic(`30 MB + 1 refused after ${result.ms.toFixed(0)} ms; server RSS +${((peak - baseline) / MB).toFixed(1)} MB`);
    // The temp file is gone as soon as the refusal is sent.
    assert.deepEqual(mediaFiles(dataDir), before);

    const declared = await streamUpload(cli.url, headers, MAX_MEDIA_BYTES + 1, { holdBodyMs: 2000 });
    assert.deepEqual([declared.status, declared.sent], [413, 0]);
  });
});
