import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { MAX_MEDIA_BYTES, MediaPaths, normalizeMediaType, RtmError, type UploadResult } from '../../../protocol/index.js';
import { ReceiveError } from '../../media/receive.js';
import type { MediaRecord } from '../../storage/types.js';
import { authenticateBearer, type MediaCaller } from './auth.js';
import { closeUnreadBody } from './close.js';
import type { MediaRouteDeps } from './deps.js';
import { mediaInfoOf } from './info.js';
import { emptyMedia, saveMedia } from './save.js';

/**
 * POST /api/media: the body is the file's bytes, streamed to disk as they arrive (never buffered),
 * → 201 {@link UploadResult}.
 *
 * Registered in its own scope whose only body parser hands the raw request stream through, whatever
 * the Content-Type: a JSON or text file must not meet the JSON parser or Fastify's 1 MB bodyLimit
 * (which only applies to buffering parsers).
 */
export async function registerUploadRoute(app: FastifyInstance, deps: MediaRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.post(MediaPaths.upload, {
      // Everything that can refuse an upload without its bytes runs before Fastify looks at the
      // body at all — including at its Content-Type, which Fastify would otherwise refuse itself
      // (a bare 415) when malformed.
      onRequest: async (request, reply) => {
        try {
          admitted.set(request, await admit(request, reply, deps));
        } catch (error) {
          if (hasBody(request)) closeUnreadBody(request, reply);
          throw error;
        }
      },
      handler: (request, reply) => receiveUpload(request, reply, deps),
    });
  });
}

interface Admission {
  caller: MediaCaller;
  contentType: string;
}

/** What `admit` decided, per request (a WeakMap: nothing to clean up). */
const admitted = new WeakMap<FastifyRequest, Admission>();

/** Credentials, declared size and type: 401/403, 413 MEDIA_TOO_LARGE, 400. */
async function admit(request: FastifyRequest, reply: FastifyReply, deps: MediaRouteDeps): Promise<Admission> {
  const caller = await authenticateBearer(request, reply, deps.apps, deps.now());
  const declaredLength = request.headers['content-length'];
  if (declaredLength !== undefined && Number(declaredLength) > MAX_MEDIA_BYTES) throw tooLarge();
  return { caller, contentType: declaredType(request.headers['content-type']) };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function receiveUpload(request: FastifyRequest, reply: FastifyReply, deps: MediaRouteDeps): Promise<UploadResult> {
  const { caller, contentType } = admitted.get(request)!;
  // Every refusal before the body's end closes the connection rather than reading the rest.
  let bodyLeft = request.body !== undefined;
  try {
    if (!bodyLeft) throw emptyMedia();
    let record: MediaRecord;
    try {
      record = await saveMedia(deps, caller, contentType, request.body as Readable);
    } catch (error) {
      // Only a ReceiveError stops before the body's end; anything later read it all.
      bodyLeft = error instanceof ReceiveError && error.bodyLeft;
      throw error instanceof ReceiveError ? error.error : error;
    }
    bodyLeft = false;
    reply.code(201);
    return mediaInfoOf(record);
  } catch (error) {
    if (bodyLeft) closeUnreadBody(request, reply);
    throw error;
  }
}

function tooLarge(): RtmError {
  return new RtmError('MEDIA_TOO_LARGE', `Media files may be at most ${MAX_MEDIA_BYTES} bytes (30 MB).`);
}

/**
 * The Content-Type header as the stored type: its essence, lowercased; application/octet-stream
 * when absent. A form post is refused: the body must be the file itself, not a form holding it.
 */
export function declaredType(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return 'application/octet-stream';
  const type = normalizeMediaType(header);
  if (type === undefined) {
    throw new RtmError('INVALID_ARGUMENT', `Content-Type "${header.slice(0, 100)}" is not a media type like image/png.`);
  }
  if (type === 'multipart/form-data') {
    throw new RtmError('INVALID_ARGUMENT', "Send the file's bytes as the request body, not multipart/form-data.");
  }
  return type;
}
