import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { AppRegistry } from '../apps.js';

/**
 * CORS from the apps' allow-lists. A preflight does not say which app it is for (the app id is in
 * the body), so this layer lets an origin through when some app allows it; each route then checks
 * the origin against its own app (`isOriginAllowed`) and refuses with ORIGIN_NOT_ALLOWED.
 */
export async function registerCors(app: FastifyInstance, apps: AppRegistry): Promise<void> {
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && apps.anyAllowsOrigin(origin)),
    // PATCH and DELETE: resumable uploads (tus).
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    // Media requests carry the token and app id in headers; downloads may resume (Range, If-Range)
    // and revalidate (If-None-Match); resumable uploads speak tus. Listed rather than echoing
    // whatever a preflight asks for.
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-rtm-app-id',
      'range',
      'if-range',
      'if-none-match',
      'tus-resumable',
      'upload-length',
      'upload-metadata',
      'upload-offset',
    ],
    // Read by the client's download progress and resume, for the saved file's name, and by a
    // resumable upload (where it is, how far the server has it).
    exposedHeaders: ['Content-Length', 'Content-Range', 'ETag', 'Content-Disposition', 'Accept-Ranges', 'Location', 'Upload-Offset', 'Upload-Length', 'Tus-Resumable'],
    maxAge: 600,
  });
}
