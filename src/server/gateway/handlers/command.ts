import { RtmError } from '../../../protocol/index.js';
import { conversationOf } from '../../messaging/conversations.js';
import type { FrameHandler } from './types.js';

/**
 * command: relayed to whoever is connected now, never stored. A peer command goes to every
 * connection of the peer (none of the sender's: a command is for the other side); a channel command
 * to every joined connection but the sending one (clients drop their own user's). Counts as a send
 * for the rate limit.
 */
export const command: FrameHandler<'command'> = (ctx, conn, frame) => {
  const { appId, uid } = conn;
  const conversation = conversationOf(uid, frame);
  if (conversation.kind === 'channel' && !ctx.presence.isJoined(conn, conversation.target)) {
    throw new RtmError('NOT_JOINED', `Join channel "${conversation.target}" before sending commands to it.`);
  }
  conn.reply(frame.id, 'command', {});
  const { payload } = frame;
  if (conversation.kind === 'peer') {
    if (conversation.target !== uid) ctx.presence.sendToUser(appId, conversation.target, { t: 'command', from: uid, peer: uid, payload });
  } else {
    ctx.presence.sendToChannel(appId, conversation.target, { t: 'command', from: uid, channel: conversation.target, payload }, conn);
  }
};
