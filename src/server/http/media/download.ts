import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkFileName, INLINE_IMAGE_TYPES, MediaPaths, RtmError, saveAsFileName } from '../../../protocol/index.js';
import { contentDisposition } from '../../media/disposition.js';
import { findLiveMedia } from '../../media/lookup.js';
import { parseRange, type ByteRange } from '../../media/range.js';
import type { MediaObjects, MediaRecord } from '../../storage/types.js';
import { HttpRtmError } from '../errors.js';
import { authenticateDownload } from './auth.js';
import type { MediaRouteDeps } from './deps.js';
import { mediaIdParam } from './info.js';

/**
 * Headers that make an uploaded file harmless on this origin whatever its bytes are: no type
 * sniffing, and should a browser render it as a document anyway, a sandbox without script, forms,
 * same-origin access or subresources. CORP cross-origin: the widget embeds these on other sites.
 */
const SAFETY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cross-origin-resource-policy': 'cross-origin',
} as const;

/**
 * GET|HEAD /api/media/:mediaId[?name=<display name>] — the bytes, with a single Range (206/416),
 * a strong ETag and If-None-Match (304), If-Range.
 *
 * Only raster types from INLINE_IMAGE_TYPES are served as themselves, inline. Everything else —
 * SVG, HTML, XML, PDF, scripts — is served as `application/octet-stream` and as an attachment. The
 * declared type would work with nosniff and the sandbox in today's browsers, but octet-stream is
 * the one type no browser executes or renders in any context (`<script src>`, `<link
 * rel=stylesheet>`, a plugin, an old browser that ignores the sandbox); the declared type is still
 * available from /info and the message's `mimeType`.
 */
export function registerDownloadRoute(app: FastifyInstance, deps: MediaRouteDeps): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: MediaPaths.object(':mediaId'),
    handler: (request, reply) => download(request, reply, deps),
  });
}

async function download(request: FastifyRequest, reply: FastifyReply, deps: MediaRouteDeps): Promise<FastifyReply> {
  const mediaId = mediaIdParam(request.params);
  const caller = await authenticateDownload(request, reply, deps.apps, mediaId, deps.now());
  const { name = mediaId } = request.query as { name?: unknown };
  const invalidName = checkFileName(name);
  if (invalidName) throw invalidName;
  const now = deps.now();
  const record = await findLiveMedia(deps.store, caller.app.id, mediaId, now);

  const etag = `"${record.sha256}"`;
  const validators = {
    etag,
    // The bytes never change, but must not be kept past the object's expiry; private, since the
    // request carried credentials.
    'cache-control': `private, max-age=${Math.floor((record.expiresAt - now) / 1000)}, immutable`,
  };
  if (matchesAny(request.headers['if-none-match'], etag)) return reply.code(304).headers(validators).send();

  let range = parseRange(request.headers.range, record.size);
  // If-Range: the range only applies if the client's copy is this object; otherwise the whole file.
  const ifRange = request.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) range = undefined;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${record.size}`);
    throw new HttpRtmError('INVALID_ARGUMENT', `Range "${request.headers.range}" is outside the ${record.size}-byte file.`, 416);
  }
  // Opened before any header describes the body, so a missing file can still become a clean 404.
  const body = request.method === 'HEAD' ? undefined : await open(deps.objects, record, range);
  const inline = INLINE_IMAGE_TYPES.includes(record.contentType);
  reply.headers({
    ...SAFETY_HEADERS,
    ...validators,
    'content-type': inline ? record.contentType : 'application/octet-stream',
    // The display name may look like a path ("../../etc/passwd"); the saved name never does.
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', saveAsFileName(name as string, mediaId)),
    'content-length': String(range ? range.end - range.start + 1 : record.size),
    'last-modified': new Date(record.uploadedAt).toUTCString(),
    'accept-ranges': 'bytes',
  });
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${record.size}`);
  return reply.send(body);
}

async function open(objects: MediaObjects, record: MediaRecord, range: ByteRange | undefined) {
  try {
    return await objects.read(record.mediaId, range);
  } catch (error) {
    // A row whose file is gone (deleted by hand, or a sweep cut short): the object is gone too.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RtmError('MEDIA_NOT_FOUND', `No media object "${record.mediaId}" in this app.`);
    }
    throw error;
  }
}

/** If-None-Match: `*` or a list of entity tags, compared weakly (RFC 9110 §13.1.2). */
function matchesAny(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
