import type { FastifyInstance } from 'fastify';
import { checkUserId, DEFAULT_TOKEN_TTL_SECONDS, RtmError } from '../../protocol/index.js';
import { DEMO_APP_ID, isOriginAllowed, type AppRegistry } from '../apps.js';
import { createToken } from '../tokens.js';
import { sendError } from './errors.js';

/**
 * POST /api/dev/token `{"uid":"alice","appId"?:"demo","expiresInSeconds"?:3600}` → `{"token":"…"}`:
 * tokens for anyone, for the demo pages and local development (a short lifetime tries out token
 * renewal). Off in production (the route then answers 404).
 */
export function registerDevTokenRoute(
  app: FastifyInstance,
  options: { apps: AppRegistry; enabled: boolean; now: () => number },
): void {
  app.post('/api/dev/token', async (request, reply) => {
    if (!options.enabled) {
      return sendError(reply, new RtmError('NOT_FOUND', 'Dev tokens are off on this server (RTM_DEV_TOKENS=0 or NODE_ENV=production).'));
    }
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RtmError('INVALID_ARGUMENT', 'Send a JSON body like {"uid":"alice"}.');
    }
    const { uid, appId = DEMO_APP_ID, expiresInSeconds = DEFAULT_TOKEN_TTL_SECONDS } = body as Record<string, unknown>;
    const uidError = checkUserId(uid);
    if (uidError) throw uidError;
    if (typeof appId !== 'string') throw new RtmError('INVALID_ARGUMENT', '"appId" must be a string.');
    if (!Number.isInteger(expiresInSeconds) || (expiresInSeconds as number) < 1 || (expiresInSeconds as number) > DEFAULT_TOKEN_TTL_SECONDS) {
      throw new RtmError('INVALID_ARGUMENT', `"expiresInSeconds" must be a whole number from 1 to ${DEFAULT_TOKEN_TTL_SECONDS}.`);
    }
    const target = options.apps.get(appId);
    if (!target) throw new RtmError('INVALID_APP_ID', `No app "${appId}" on this server.`);
    const origin = request.headers.origin;
    if (!isOriginAllowed(target, origin, request.headers.host)) {
      throw new RtmError('ORIGIN_NOT_ALLOWED', `Origin ${origin} is not allowed for app "${appId}".`);
    }
    const token = await createToken({
      appId,
      uid: uid as string,
      secret: target.tokenSecret,
      expiresInSeconds: expiresInSeconds as number,
      now: options.now(),
    });
    return { token };
  });
}
