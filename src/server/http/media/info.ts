import type { FastifyInstance } from 'fastify';
import { checkMediaId, MediaPaths, type MediaInfo } from '../../../protocol/index.js';
import { findLiveMedia } from '../../media/lookup.js';
import type { MediaRecord } from '../../storage/types.js';
import { authenticateBearer } from './auth.js';
import type { MediaRouteDeps } from './deps.js';

/** The public view of a record (no app, uploader or hash). */
export function mediaInfoOf(record: MediaRecord): MediaInfo {
  const info: MediaInfo = {
    mediaId: record.mediaId,
    size: record.size,
    contentType: record.contentType,
    uploadedAt: record.uploadedAt,
    expiresAt: record.expiresAt,
  };
  if (record.width !== undefined && record.height !== undefined) {
    info.width = record.width;
    info.height = record.height;
  }
  return info;
}

/** The route parameter as a media id, or INVALID_MEDIA_ID (400). */
export function mediaIdParam(params: unknown): string {
  const { mediaId } = params as { mediaId: string };
  const invalid = checkMediaId(mediaId);
  if (invalid) throw invalid;
  return mediaId;
}

/** GET /api/media/:mediaId/info → {@link MediaInfo}: is the id still valid, and what is it. */
export function registerInfoRoute(app: FastifyInstance, deps: MediaRouteDeps): void {
  app.get(MediaPaths.info(':mediaId'), async (request, reply) => {
    const mediaId = mediaIdParam(request.params);
    const caller = await authenticateBearer(request, reply, deps.apps, deps.now());
    return mediaInfoOf(await findLiveMedia(deps.store, caller.app.id, mediaId, deps.now()));
  });
}
