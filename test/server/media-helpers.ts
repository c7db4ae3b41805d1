/**
 * Media test helpers: uploads through fetch (small bodies) or node:http (streamed bodies of any
 * size, without holding them in memory), and views of the data dir's media files and rows.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ErrorBody, UploadResult } from '../../src/protocol/index.js';
import { openDatabaseReadOnly } from '../../src/server/storage/sqlite/database.js';
import type { TestServer } from './helpers.js';

/** The headers a logged-in client sends with media requests. */
export function mediaHeaders(token: string, appId = 'demo'): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'x-rtm-app-id': appId };
}

export interface FetchedUpload {
  status: number;
  headers: Headers;
  body: UploadResult & ErrorBody;
}

/** POST /api/media with a small in-memory body, as alice of the demo app unless headers say otherwise. */
export async function upload(
  t: TestServer,
  bytes: Uint8Array | string,
  options: { contentType?: string; headers?: Record<string, string>; query?: string } = {},
): Promise<FetchedUpload> {
  const headers = options.headers ?? mediaHeaders(await t.token('alice'));
  const response = await fetch(`${t.url}/api/media${options.query ?? ''}`, {
    method: 'POST',
    headers: { ...headers, ...(options.contentType !== undefined && { 'content-type': options.contentType }) },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as UploadResult & ErrorBody };
}

/** Uploads and asserts 201; returns the UploadResult. */
export async function uploadOk(t: TestServer, bytes: Uint8Array | string, contentType?: string): Promise<UploadResult> {
  const result = await upload(t, bytes, { contentType });
  if (result.status !== 201) throw new Error(`upload failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

/** Byte `i` of a streamed test body: a pattern that makes misplaced or missing chunks visible. */
export function patternChunk(offset: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) chunk[i] = ((offset + i) * 31 + ((offset + i) >>> 16)) & 0xff;
  return chunk;
}

export interface StreamedUpload {
  status: number;
  body: Record<string, unknown>;
  /** Bytes the client handed to the socket before the response (or the end). */
  sent: number;
  /** SHA-256 (base64url) of the bytes sent, when all of them were. */
  sha256: string;
  /** From the first byte written to the response's end. */
  ms: number;
  /** Whether the server closed the connection after answering. */
  closed: boolean;
}

/**
 * Streams `total` pattern bytes (64 KiB chunks, created as needed, honouring backpressure) to
 * POST /api/media with node:http. `contentLength: false` sends them chunked. Stops writing as
 * soon as a response arrives. `holdBody` waits that long for an early response before sending.
 */
export function streamUpload(
  url: string,
  headers: Record<string, string>,
  total: number,
  options: { contentLength?: boolean; holdBodyMs?: number; onProgress?: (sent: number) => void } = {},
): Promise<StreamedUpload> {
  const chunkSize = 64 * 1024;
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/media`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/octet-stream',
        ...(options.contentLength !== false && { 'content-length': String(total) }),
      },
    });
    let sent = 0;
    let answered = false;
    let started = 0;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const closed = res.headers.connection === 'close';
        resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown>, sent, sha256: hash.digest('base64url'), ms: performance.now() - started, closed });
      });
    });
    req.on('error', (error) => {
      // The server closing mid-body after its answer is expected (EPIPE/ECONNRESET on our writes).
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        const chunk = patternChunk(sent, Math.min(chunkSize, total - sent));
        sent += chunk.length;
        hash.update(chunk);
        options.onProgress?.(sent);
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.flushHeaders();
    started = performance.now();
    setTimeout(pump, options.holdBodyMs ?? 0);
  });
}

/** SHA-256 (base64url) and length of a response body, read as a stream. */
export async function digestBody(response: Response): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('base64url') };
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * Every file in `<dataDir>/media` (committed objects and temp files), not the directory of
 * unfinished resumable uploads (`.uploads`).
 */
export function mediaFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'media');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name !== '.uploads').sort() : [];
}

/** Media ids with a row in the database. */
export function mediaRows(dataDir: string): string[] {
  const db = openDatabaseReadOnly(dataDir);
  try {
    return (db.prepare('SELECT media_id FROM media ORDER BY media_id').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns its last answer. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
