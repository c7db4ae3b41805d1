import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { IMAGE_SIZE_SNIFF_BYTES, RtmError } from '../../protocol/index.js';

export interface Received {
  size: number;
  /** SHA-256 of every byte, base64url. */
  sha256: string;
  /** The first bytes (up to IMAGE_SIZE_SNIFF_BYTES), for readImageSize. */
  head: Uint8Array;
}

/** Why a body stopped before its end; `bodyLeft` tells the caller the request still has bytes unread. */
export class ReceiveError extends Error {
  override readonly name = 'ReceiveError';
  constructor(
    readonly error: RtmError | Error,
    readonly bodyLeft: boolean,
  ) {
    super(error.message);
  }
}

/**
 * Copies `source` (an upload body) into `sink` chunk by chunk, counting, hashing and keeping the
 * first bytes for the image header; memory stays at a few chunks whatever the file size, because
 * a full sink pauses the source (backpressure) instead of buffering.
 *
 * Deliberately not `stream.pipeline`: on failure pipeline destroys the source, and destroying an
 * HTTP request destroys its socket, so the client would never see the 413. Here the source is only
 * detached and paused; the caller answers and then closes the connection.
 *
 * Resolves once `sink` has flushed everything ('finish'). Rejects with a {@link ReceiveError}
 * wrapping MEDIA_TOO_LARGE as soon as the byte count passes `limit` (that chunk is not written),
 * CANCELLED when the source breaks off, or the sink's error; the sink is left for the caller to
 * discard.
 */
export function receive(source: Readable, sink: Writable, limit: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const head = Buffer.alloc(IMAGE_SIZE_SNIFF_BYTES);
    let headLength = 0;
    let size = 0;
    let settled = false;
    let ended = false;

    const detach = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onSourceError);
      source.off('close', onSourceClose);
      sink.off('error', onSinkError);
      sink.off('drain', onDrain);
    };
    const fail = (cause: RtmError | Error, bodyLeft: boolean) => {
      if (settled) return;
      settled = true;
      detach();
      source.pause();
      reject(new ReceiveError(cause, bodyLeft));
    };

    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        fail(new RtmError('MEDIA_TOO_LARGE', `Media files may be at most ${limit} bytes (30 MB).`), true);
        return;
      }
      hash.update(chunk);
      if (headLength < head.length) headLength += chunk.copy(head, headLength, 0, head.length - headLength);
      if (!sink.write(chunk)) source.pause();
    }
    function onDrain() {
      if (!settled) source.resume();
    }
    function onEnd() {
      // 'end' means every byte arrived; now wait until the sink has them all.
      ended = true;
      source.off('close', onSourceClose);
      sink.end(() => {
        if (settled) return;
        settled = true;
        detach();
        resolve({ size, sha256: hash.digest('base64url'), head: head.subarray(0, headLength) });
      });
    }
    // The request failing or closing before its end means the client went away (or broke the
    // framing, which makes Node drop the socket): no one is left to answer, nothing to log.
    function onSourceError() {
      fail(new RtmError('CANCELLED', 'The client aborted the upload.'), false);
    }
    function onSourceClose() {
      fail(new RtmError('CANCELLED', 'The client aborted the upload.'), false);
    }
    function onSinkError(error: Error) {
      fail(error, !ended);
    }

    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onSourceError);
    source.on('close', onSourceClose);
    sink.on('error', onSinkError);
    sink.on('drain', onDrain);
    source.resume();
  });
}
