import type { FastifyInstance } from 'fastify';
import type { MediaRouteDeps } from './deps.js';
import { registerDownloadRoute } from './download.js';
import { registerInfoRoute } from './info.js';
import { registerSignedUrlRoute } from './signed-url.js';
import { registerUploadRoute } from './upload.js';

export type { MediaRouteDeps } from './deps.js';

/** The media HTTP API (MediaPaths in protocol/media.ts; docs/protocol.md, "Media"). */
export async function registerMediaRoutes(app: FastifyInstance, deps: MediaRouteDeps): Promise<void> {
  await registerUploadRoute(app, deps);
  registerDownloadRoute(app, deps);
  registerInfoRoute(app, deps);
  registerSignedUrlRoute(app, deps);
}
