import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Server as TusServer, type Upload } from '@tus/server';
import { MAX_MEDIA_BYTES, MediaPaths, RESUMABLE_UPLOAD_TTL_MS, RtmError, checkMediaId } from '../../../protocol/index.js';
import { newMediaId } from '../../media/ids.js';
import { ReceiveError } from '../../media/receive.js';
import { authenticateBearer, type MediaCaller } from './auth.js';
import type { MediaRouteDeps } from './deps.js';
import { statusOf } from '../errors.js';
import { mediaInfoOf } from './info.js';
import { emptyMedia, saveMedia } from './save.js';
import { declaredType } from './upload.js';

/** Metadata the server sets on an upload (a client's own keys by these names are refused). */
const APP_KEY = 'rtm-app';
const UPLOADER_KEY = 'rtm-uploader';

/** One of @tus/server's own refusals as the RtmError it means. */
function tusRefusal(status: number, text: string): RtmError {
  const why = text || `HTTP ${status}`;
  switch (status) {
    case 413:
      return new RtmError('MEDIA_TOO_LARGE', `Media files may be at most ${MAX_MEDIA_BYTES} bytes (30 MB): ${why}.`);
    case 404:
    case 410:
      return new RtmError('MEDIA_NOT_FOUND', `No such upload (finished, cancelled or expired): ${why}.`);
    case 400:
    case 403:
    case 409:
    case 412:
    case 415:
      return new RtmError('INVALID_ARGUMENT', `The resumable upload request was refused: ${why}.`);
    default:
      return new RtmError('INTERNAL_ERROR', `The resumable upload failed: ${why}.`);
  }
}

/** How often unfinished uploads older than RESUMABLE_UPLOAD_TTL_MS are deleted. */
const CLEAN_UP_EVERY_MS = 60 * 60 * 1000;

export interface ResumableUploads {
  /** Stops the clean-up timer (the server is closing). */
  close(): void;
}

/**
 * Resumable uploads: the tus 1.0 protocol (creation, core, termination, expiration) through
 * @tus/server, under MediaPaths.resumableUploads. A connection that breaks mid-file loses only the
 * bytes in flight: the client asks `HEAD` for the offset the server has and PATCHes the rest.
 *
 * The rules are a single upload's: the login token (Bearer) and app, 30 MB (`Upload-Length`, and
 * the bytes themselves), no empty files; an upload belongs to its app and user, and any other
 * caller is told it does not exist (404). The upload's id is the media id it becomes: the last
 * PATCH stores the file like POST /api/media (saveMedia) and answers 200 with the same
 * UploadResult. Unfinished uploads live in `directory` (next to the media files, so nodes sharing
 * RTM_MEDIA_DIR can continue each other's) until RESUMABLE_UPLOAD_TTL_MS after they were created.
 */
export async function registerResumableUploads(app: FastifyInstance, deps: MediaRouteDeps, directory: string): Promise<ResumableUploads> {
  const callers = new AsyncLocalStorage<MediaCaller>();
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: RESUMABLE_UPLOAD_TTL_MS });
  const refuse = (error: RtmError, status = statusOf(error)) => ({ status_code: status, body: JSON.stringify(error.toBody()) });

  const tus = new TusServer({
    path: MediaPaths.resumableUploads,
    datastore,
    maxSize: MAX_MEDIA_BYTES,
    relativeLocation: true,
    // Fastify's CORS layer already answered the preflight; this echoes the origin it let through.
    allowedOrigins: (origin) => deps.apps.anyAllowsOrigin(origin),
    allowedHeaders: ['x-rtm-app-id'],
    namingFunction: () => newMediaId(),
    // Every refusal in the media API's shape, `{ code, reason, message }`: tus's own ones too.
    onResponseError(_request, error) {
      const status = 'status_code' in error ? error.status_code : 500;
      const body = 'body' in error ? error.body : '';
      if (body.startsWith('{')) return undefined; // ours (refuse)
      return refuse(tusRefusal(status, body.trim()), status);
    },
    async onIncomingRequest(request, uploadId) {
      const caller = callers.getStore()!;
      if (request.method === 'POST' || !uploadId) return;
      let upload: Upload;
      try {
        upload = await datastore.getUpload(uploadId);
      } catch {
        return; // @tus/server answers 404 itself
      }
      if (upload.metadata?.[APP_KEY] !== caller.app.id || upload.metadata?.[UPLOADER_KEY] !== caller.uid) {
        throw refuse(new RtmError('MEDIA_NOT_FOUND', `No upload ${uploadId} of yours.`), 404);
      }
    },
    async onUploadCreate(_request, upload) {
      const caller = callers.getStore()!;
      if (upload.size === 0) throw refuse(emptyMedia());
      const metadata = upload.metadata ?? {};
      if (APP_KEY in metadata || UPLOADER_KEY in metadata) {
        throw refuse(new RtmError('INVALID_ARGUMENT', `Upload-Metadata may not set "${APP_KEY}" or "${UPLOADER_KEY}".`));
      }
      try {
        declaredType(metadata.filetype ?? undefined);
      } catch (error) {
        throw refuse(error as RtmError);
      }
      return { metadata: { ...metadata, [APP_KEY]: caller.app.id, [UPLOADER_KEY]: caller.uid! } };
    },
    async onUploadFinish(_request, upload) {
      const caller = callers.getStore()!;
      let record;
      try {
        record = await saveMedia(deps, caller, declaredType(upload.metadata?.filetype ?? undefined), datastore.read(upload.id), upload.id);
      } catch (error) {
        const cause = error instanceof ReceiveError ? error.error : error;
        throw refuse(cause instanceof RtmError ? cause : new RtmError('INTERNAL_ERROR', 'The upload could not be stored.'));
      }
      // Stored: the answer is a success whatever happens to the leftovers (they expire anyway).
      await datastore.remove(upload.id).catch((error: unknown) => app.log.warn({ err: error, uploadId: upload.id }, 'could not delete a finished upload'));
      return { status_code: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(mediaInfoOf(record)) };
    },
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    // The token and app are checked as for any media request (401/403 as JSON) before tus sees it.
    const caller = await authenticateBearer(request, reply, deps.apps, deps.now());
    const uploadId = (request.params as { uploadId?: string }).uploadId;
    if (uploadId !== undefined && checkMediaId(uploadId)) {
      throw new RtmError('MEDIA_NOT_FOUND', `No upload ${uploadId.slice(0, 100)}.`);
    }
    reply.hijack();
    await callers.run(caller, () => tus.handle(request.raw, reply.raw));
  };

  await app.register(async (scope) => {
    // tus reads the request body itself (application/offset+octet-stream): no parser touches it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({ method: 'POST', url: MediaPaths.resumableUploads, handler: handle });
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE'], url: MediaPaths.resumableUpload(':uploadId'), handler: handle });
  });

  const timer = setInterval(() => {
    datastore.deleteExpired().catch((error: unknown) => app.log.warn({ err: error }, 'could not delete expired resumable uploads'));
  }, CLEAN_UP_EVERY_MS);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
