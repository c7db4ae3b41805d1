import { randomUUID } from 'node:crypto';
import { RtmError } from '../../../protocol/index.js';
import { InvitationRegistry } from '../../messaging/invitation-registry.js';
import { InMemoryPresenceRouter } from '../../messaging/presence-router.js';
import type { Connection } from '../connection.js';
import type { GatewayContext } from '../context.js';
import type { FrameHandler } from './types.js';

/**
 * Call invitations (Agora's LocalInvitation / RemoteInvitation): live, never stored. The
 * registry sits on the node of the caller's connection; see invitation-registry.ts for how an
 * answer that arrives on another node of a cluster reaches it.
 */

const registries = new WeakMap<GatewayContext, InvitationRegistry>();
/** Connections whose close already fails their invitations. */
const watched = new WeakSet<Connection>();

function registryOf(ctx: GatewayContext): InvitationRegistry {
  let registry = registries.get(ctx);
  if (!registry) registries.set(ctx, (registry = new InvitationRegistry(ctx.presence, ctx.now)));
  return registry;
}

/** invitation.send: to every connection of the callee, now or (within 30 s) as they come online. */
export const invitationSend: FrameHandler<'invitation.send'> = (ctx, conn, frame) => {
  const registry = registryOf(ctx);
  const received = registry.send(conn, frame.invitation, frame.callee, frame.content, frame.channelId);
  if (!watched.has(conn)) {
    watched.add(conn);
    conn.socket.once('close', () => registry.connectionClosed(conn));
  }
  conn.reply(frame.id, 'invitation.send', { received });
};

/** invitation.cancel: only the connection that sent it. */
export const invitationCancel: FrameHandler<'invitation.cancel'> = (ctx, conn, frame) => {
  registryOf(ctx).cancel(conn, frame.invitation);
  conn.reply(frame.id, 'invitation.cancel', {});
};

/**
 * invitation.accept / invitation.refuse: decided here when this node holds the invitation; in a
 * cluster, otherwise relayed to the caller's connections (who may be on another node). On a
 * single node an invitation not held here does not exist.
 */
export const invitationAnswer: FrameHandler<'invitation.accept' | 'invitation.refuse'> = (ctx, conn, frame) => {
  const registry = registryOf(ctx);
  const accepted = frame.t === 'invitation.accept';
  const { appId, uid } = conn;
  if (registry.has(appId, frame.caller, frame.invitation) || ctx.presence instanceof InMemoryPresenceRouter) {
    registry.answer(appId, frame.caller, frame.invitation, uid, accepted, frame.response, { conn });
    conn.reply(frame.id, frame.t, {});
    return;
  }
  const ref = randomUUID();
  const relay = { t: 'invitation.answer', callee: uid, invitation: frame.invitation, accepted, response: frame.response, ref } as const;
  if (ctx.presence.sendToUser(appId, frame.caller, relay) === 0) {
    throw new RtmError('INVITATION_NOT_FOUND', `No call invitation "${frame.invitation}" from ${frame.caller} to you.`);
  }
  conn.reply(frame.id, frame.t, { relayed: true, ref });
};

/** invitation.settle: the caller's connection passes on an answer relayed from another node. */
export const invitationSettle: FrameHandler<'invitation.settle'> = (ctx, conn, frame) => {
  const registry = registryOf(ctx);
  const callee = registry.calleeOf(conn, frame.invitation);
  registry.answer(conn.appId, conn.uid, frame.invitation, callee, frame.accepted, frame.response, { ref: frame.ref });
  conn.reply(frame.id, 'invitation.settle', {});
};
