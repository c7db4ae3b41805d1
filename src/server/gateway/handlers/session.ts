import { CloseCodes, RtmError, type LoginFrame, type StoredMessage } from '../../../protocol/index.js';
import { isOriginAllowed } from '../../apps.js';
import { TOKEN_CLOCK_TOLERANCE_SECONDS, verifyToken } from '../../tokens.js';
import type { Connection } from '../connection.js';
import { TokenExpiry } from '../token-expiry.js';
import type { GatewayContext } from '../context.js';
import { recordDelivered } from './peer.js';
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
  let verified;
  try {
    verified = await verifyToken({ token: frame.token, appId: app.id, uid: frame.uid, secret: app.tokenSecret, now: ctx.now() });
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
  const tokenExpiresAt = connectionDeadline(verified.expiresAt);
  conn.reply(frame.id, 'login', { uid: frame.uid, serverTime: ctx.now(), tokenExpiresAt });
  conn.tokenExpiry = new TokenExpiry(conn, ctx.now);
  conn.tokenExpiry.set(tokenExpiresAt);
  try {
    await deliverOffline(ctx, conn, frame);
  } catch (err) {
    // The login was answered already; the messages stay kept for the next login.
    ctx.log.error({ err, uid: frame.uid }, 'could not deliver offline messages');
  }
};

/**
 * Sends the user's kept offline messages as one `peer.offline_batch` per peer conversation,
 * conversations in the order of their oldest message, messages oldest first. A batch is
 * deleted on the server only once its frame was written to the socket (if the socket dies first it
 * stays for the next login); then the receiver's delivery marker moves and the sender gets one
 * `delivered` receipt for the batch's highest seq.
 */
async function deliverOffline(ctx: GatewayContext, conn: Connection, frame: LoginFrame): Promise<void> {
  const kept = await ctx.messages.offlineFor(conn.appId, frame.uid, ctx.now());
  const byPeer = new Map<string, { handles: number[]; messages: StoredMessage[] }>();
  kept.messages.forEach((message, i) => {
    let batch = byPeer.get(message.from);
    if (!batch) byPeer.set(message.from, (batch = { handles: [], messages: [] }));
    batch.handles.push(kept.handles[i]!);
    batch.messages.push(message);
  });
  for (const [peer, batch] of byPeer) {
    conn.send({ t: 'peer.offline_batch', peer, messages: batch.messages }, (error) => {
      if (error) return;
      const highest = batch.messages[batch.messages.length - 1]!.seq;
      ctx.messages.deleteOffline(batch.handles).catch((err: unknown) => {
        ctx.log.error({ err }, 'could not delete delivered offline messages');
      });
      void recordDelivered(ctx, conn.appId, frame.uid, peer, highest);
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

/**
 * renew: a new token for the logged-in connection (same app and user), answered with its expiry;
 * the connection then lives until that one expires. A refused token leaves the connection as it
 * was (the old token's expiry still holds).
 */
export const renew: FrameHandler<'renew'> = async (ctx, conn, frame) => {
  const app = ctx.apps.get(conn.appId);
  if (!app) throw new RtmError('INVALID_APP_ID', `No app "${conn.appId}" on this server.`);
  const verified = await verifyToken({ token: frame.token, appId: app.id, uid: conn.uid, secret: app.tokenSecret, now: ctx.now() });
  if (conn.state !== 'ready') return;
  const tokenExpiresAt = connectionDeadline(verified.expiresAt);
  conn.reply(frame.id, 'renew', { tokenExpiresAt });
  conn.tokenExpiry?.set(tokenExpiresAt);
};

/**
 * When a connection logged in with a token expiring at `exp` (seconds) is closed: the same clock
 * tolerance as the token check, so a token just accepted is not closed at once.
 */
function connectionDeadline(exp: number): number {
  return (exp + TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000;
}
