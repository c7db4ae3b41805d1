import type { FastifyReply, FastifyRequest } from 'fastify';
import { RtmError } from '../../../protocol/index.js';
import { isOriginAllowed, type AppRegistry } from '../../apps.js';
import { verifyMediaUrl } from '../../media/signed-url.js';
import type { AppRecord } from '../../storage/types.js';
import { verifyToken } from '../../tokens.js';
import { HttpRtmError } from '../errors.js';

/** The app and user a media request acts for. `uid` is absent for a signed URL (it names no user). */
export interface MediaCaller {
  app: AppRecord;
  uid?: string;
}

/** Header naming the app (a token means something only together with its app). `?appId=` works too. */
export const APP_ID_HEADER = 'x-rtm-app-id';

function appIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers[APP_ID_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = (request.query as Record<string, unknown>).appId;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/**
 * The app named by the request, if the page's origin may use it — checked in the order login
 * checks them: app, then origin (an unknown app has no origin list). The app id is part of the
 * credentials here, so a missing or unknown one is 401; a refused origin is 403.
 */
function appOf(request: FastifyRequest, apps: AppRegistry): AppRecord {
  const appId = appIdOf(request);
  if (appId === undefined) {
    throw new HttpRtmError('INVALID_APP_ID', `Name the app in the "${APP_ID_HEADER}" header (or ?appId=).`, 401);
  }
  const app = apps.get(appId);
  if (!app) throw new HttpRtmError('INVALID_APP_ID', `No app "${appId}" on this server.`, 401);
  const origin = request.headers.origin;
  if (!isOriginAllowed(app, origin, request.headers.host)) {
    throw new RtmError('ORIGIN_NOT_ALLOWED', `Origin ${origin} is not allowed for app "${app.id}".`);
  }
  return app;
}

/**
 * `Authorization: Bearer <login token>` plus the app id: the token the WebSocket login uses,
 * verified the same way, for whichever user it names. 401 INVALID_APP_ID / INVALID_TOKEN /
 * TOKEN_EXPIRED / TOKEN_MISMATCH (a token of another app), 403 ORIGIN_NOT_ALLOWED.
 */
export async function authenticateBearer(
  request: FastifyRequest,
  reply: FastifyReply,
  apps: AppRegistry,
  now: number,
): Promise<MediaCaller> {
  try {
    const app = appOf(request, apps);
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new RtmError('INVALID_TOKEN', 'Send the login token as "Authorization: Bearer <token>".');
    const { uid } = await verifyToken({ token: match[1]!, appId: app.id, secret: app.tokenSecret, now });
    return { app, uid };
  } catch (error) {
    // RFC 9110: a 401 names the scheme that would work.
    if (error instanceof RtmError && error.reason !== 'ORIGIN_NOT_ALLOWED') {
      reply.header('www-authenticate', 'Bearer realm="rtm-chat"');
    }
    throw error;
  }
}

/**
 * A signed URL (`?appId&exp&sig`, for `<img src>` and links, which cannot send headers) when the
 * query has `sig` or `exp`, else the bearer token. A forged or expired signed URL is refused with
 * 403 INVALID_TOKEN / TOKEN_EXPIRED — not 401 — so a client can tell "ask for a new URL" from
 * "renew the login token".
 */
export async function authenticateDownload(
  request: FastifyRequest,
  reply: FastifyReply,
  apps: AppRegistry,
  mediaId: string,
  now: number,
): Promise<MediaCaller> {
  const query = request.query as Record<string, unknown>;
  if (query.sig === undefined && query.exp === undefined) return authenticateBearer(request, reply, apps, now);
  const app = appOf(request, apps);
  try {
    verifyMediaUrl(app.tokenSecret, app.id, mediaId, query.exp, query.sig, now);
  } catch (error) {
    throw error instanceof RtmError ? HttpRtmError.from(error, 403) : error;
  }
  return { app };
}
