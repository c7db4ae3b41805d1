import { CloseCodes, RtmError, type LoginFrame } from '../../../protocol/index.js';
import { isOriginAllowed } from '../../apps.js';
import { verifyToken } from '../../tokens.js';
import type { Connection } from '../connection.js';
import type { GatewayContext } from '../context.js';
import type { FrameHandler } from './types.js';

/**
 * login: app → origin → token, in that order (an unknown app has no origin list or secret). Any
 * failure is answered, then the socket is closed: reconnecting with the same credentials cannot help.
 */
export const login: FrameHandler<'login'> = async (ctx, conn, frame) => {
  if (conn.state !== 'new') throw new RtmError('ALREADY_LOGGED_IN', 'This connection is already logged in.');
  const app = ctx.apps.get(frame.appId);
  if (!app) {
    conn.refuse(frame.id, new RtmError('INVALID_APP_ID', `No app "${frame.appId}" on this server.`));
    return;
  }
  if (!isOriginAllowed(app, conn.origin, conn.host)) {
    conn.refuse(
      frame.id,
      new RtmError('ORIGIN_NOT_ALLOWED', `Origin ${conn.origin} is not allowed for app "${app.id}".`),
      CloseCodes.ORIGIN_NOT_ALLOWED,
    );
    return;
  }
  try {
    await verifyToken({ token: frame.token, appId: app.id, uid: frame.uid, secret: app.tokenSecret, now: ctx.now() });
  } catch (error) {
    if (!(error instanceof RtmError)) throw error;
    conn.refuse(frame.id, error);
    return;
  }
  if (!conn.isOpen) return; // the client went away while the token was checked
  conn.appId = app.id;
  conn.uid = frame.uid;
  conn.state = 'ready';
  // Routed before the offline fetch: a message sent from now on goes live, none falls in between.
  ctx.presence.attach(conn);
  conn.routed = true;
  conn.reply(frame.id, 'login', { uid: frame.uid, serverTime: ctx.now() });
  await deliverOffline(ctx, conn, frame);
};

/**
 * Sends the user's kept offline messages, oldest first, and deletes them only once every frame
 * was written to the socket; if the socket dies first they stay for the next login.
 */
async function deliverOffline(ctx: GatewayContext, conn: Connection, frame: LoginFrame): Promise<void> {
  const batch = await ctx.messages.offlineFor(conn.appId, frame.uid, ctx.now());
  let pending = batch.messages.length;
  let failed = false;
  for (const message of batch.messages) {
    conn.send({ t: 'peer.message', message, offline: true }, (error) => {
      if (error) failed = true;
      if (--pending > 0 || failed) return;
      ctx.messages.deleteOffline(batch.handles).catch((err: unknown) => {
        ctx.log.error({ err }, 'could not delete delivered offline messages');
      });
    });
  }
}

export const logout: FrameHandler<'logout'> = (_ctx, conn, frame) => {
  conn.reply(frame.id, 'logout', {});
  conn.close(CloseCodes.LOGOUT, 'logout');
};

export const ping: FrameHandler<'ping'> = (ctx, conn, frame) => {
  conn.reply(frame.id, 'ping', { serverTime: ctx.now() });
};
