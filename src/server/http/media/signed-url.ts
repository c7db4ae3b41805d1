import type { FastifyInstance } from 'fastify';
import { checkFileName, MEDIA_URL_TTL_MS, MediaPaths, type SignedMediaUrl } from '../../../protocol/index.js';
import { findLiveMedia } from '../../media/lookup.js';
import { signMediaUrl } from '../../media/signed-url.js';
import { authenticateBearer } from './auth.js';
import type { MediaRouteDeps } from './deps.js';
import { mediaIdParam } from './info.js';

/**
 * POST /api/media/:mediaId/url[?name=<display name>] → {@link SignedMediaUrl}: an absolute URL that
 * downloads the object without headers, valid MEDIA_URL_TTL_MS but never past the object's expiry.
 * Its origin is the one the request came to (behind a proxy: X-Forwarded-Proto/-Host when the
 * server trusts the proxy, see `trustProxy`). `name` is carried into the URL unsigned: it only
 * names the saved file.
 */
export function registerSignedUrlRoute(app: FastifyInstance, deps: MediaRouteDeps): void {
  app.post(MediaPaths.signedUrl(':mediaId'), async (request, reply): Promise<SignedMediaUrl> => {
    const mediaId = mediaIdParam(request.params);
    const caller = await authenticateBearer(request, reply, deps.apps, deps.now());
    const { name } = request.query as { name?: unknown };
    if (name !== undefined) {
      const invalid = checkFileName(name);
      if (invalid) throw invalid;
    }
    const now = deps.now();
    const record = await findLiveMedia(deps.store, caller.app.id, mediaId, now);
    const expiresAt = Math.min(now + MEDIA_URL_TTL_MS, record.expiresAt);
    const query = new URLSearchParams({
      appId: caller.app.id,
      exp: String(expiresAt),
      sig: signMediaUrl(caller.app.tokenSecret, caller.app.id, mediaId, expiresAt),
    });
    if (typeof name === 'string') query.set('name', name);
    const url = new URL(`${MediaPaths.object(mediaId)}?${query}`, `${request.protocol}://${request.host}`);
    return { url: url.href, expiresAt };
  });
}
