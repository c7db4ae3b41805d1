import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { RtmError } from '../../../protocol/index.js';
import type { AppRegistry } from '../../apps.js';
import type { AppRecord } from '../../storage/types.js';
import { verifyToken } from '../../tokens.js';

/** How a REST request proved it may act for the app: Basic or token auth, as in Agora's API. */
export type RestAuth = { app: AppRecord; scheme: 'basic' } | { app: AppRecord; scheme: 'token'; uid: string };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time string equality: equal-length digests, so neither content nor length leaks. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Checks a REST request for app `appId` acting as `userId`: the app exists, then either HTTP Basic
 * with the app's REST key and secret (any user id), or token auth (`x-agora-token` +
 * `x-agora-uid`: a valid token of that uid, and the uid must be `userId`). A route whose path
 * names no user (`userId` undefined: the message routes) acts as the token's uid. `Authorization`
 * wins when both are sent. Throws RtmError (answered 401) naming the check that failed, never a
 * secret.
 */
export async function authenticate(
  apps: AppRegistry,
  appId: string,
  userId: string | undefined,
  request: FastifyRequest,
  now: number,
): Promise<RestAuth> {
  const app = apps.get(appId);
  if (!app) throw new RtmError('INVALID_APP_ID', `No app ${JSON.stringify(appId)} on this server; check the <appid> in the URL.`);

  const authorization = header(request, 'authorization');
  if (authorization !== undefined) {
    const match = /^Basic +([A-Za-z0-9+/=]*) *$/i.exec(authorization);
    if (!match) {
      throw new RtmError(
        'INVALID_CREDENTIALS',
        'The Authorization header must be "Basic <base64 of restKey:restSecret>"; for token auth send x-agora-token and x-agora-uid instead.',
      );
    }
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new RtmError('INVALID_CREDENTIALS', 'Basic credentials must be base64 of "restKey:restSecret" (no colon found).');
    // Both compared, always: the answer time does not tell whether the key alone was right.
    const keyOk = sameSecret(decoded.slice(0, colon), app.restKey);
    const secretOk = sameSecret(decoded.slice(colon + 1), app.restSecret);
    if (!(keyOk && secretOk)) {
      throw new RtmError('INVALID_CREDENTIALS', `The REST key or secret is not app "${app.id}"'s (Basic auth).`);
    }
    return { app, scheme: 'basic' };
  }

  const token = header(request, 'x-agora-token');
  const uid = header(request, 'x-agora-uid');
  if (token === undefined && uid === undefined) {
    throw new RtmError(
      'MISSING_CREDENTIALS',
      'No credentials: send "Authorization: Basic <base64 of restKey:restSecret>", or "x-agora-token" and "x-agora-uid".',
    );
  }
  if (token === undefined || token === '') throw new RtmError('MISSING_CREDENTIALS', 'x-agora-uid was sent without x-agora-token.');
  if (uid === undefined || uid === '') throw new RtmError('MISSING_CREDENTIALS', 'x-agora-token was sent without x-agora-uid.');
  // TOKEN_EXPIRED, TOKEN_MISMATCH (another uid or app) or INVALID_TOKEN.
  await verifyToken({ token, appId: app.id, uid, secret: app.tokenSecret, now });
  if (userId !== undefined && uid !== userId) {
    throw new RtmError(
      'TOKEN_MISMATCH',
      `x-agora-uid is ${JSON.stringify(uid)} but the URL sends as ${JSON.stringify(userId)}; with token auth a backend may only send as the token's user.`,
    );
  }
  return { app, scheme: 'token', uid };
}
