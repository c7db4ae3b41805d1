import { channelAttributesGet, channelAttributesWrite, userAttributesGet, userAttributesWrite } from './attributes.js';
import { command } from './command.js';
import { conversationDelete } from './conversation-delete.js';
import { search } from './search.js';
import { changes, messageDelete, messageEdit, messageRetract, reaction } from './changes.js';
import { channelJoin, channelLeave, channelMemberCount, channelMembers, channelSend } from './channel.js';
import { history, sync } from './history.js';
import { invitationAnswer, invitationCancel, invitationSend, invitationSettle } from './invitations.js';
import { peerSend } from './peer.js';
import { presenceQuery, presenceSubscribe } from './presence.js';
import { channelReceipts, conversations, read } from './read.js';
import { login, logout, ping, renew } from './session.js';
import { typing } from './typing.js';
import type { FrameHandlers } from './types.js';

/** One handler per client frame type; the mapped type makes a missing one a compile error. */
export const handlers: FrameHandlers = {
  login,
  logout,
  ping,
  renew,
  'peer.send': peerSend,
  'channel.join': channelJoin,
  'channel.leave': channelLeave,
  'channel.members': channelMembers,
  'channel.member_count': channelMemberCount,
  'channel.send': channelSend,
  history,
  sync,
  changes,
  'message.retract': messageRetract,
  'message.edit': messageEdit,
  'reaction.add': reaction,
  'reaction.remove': reaction,
  'message.delete': messageDelete,
  conversations,
  read,
  'channel.receipts': channelReceipts,
  typing,
  command,
  search,
  'conversation.delete': conversationDelete,
  'presence.query': presenceQuery,
  'presence.subscribe': presenceSubscribe,
  'presence.unsubscribe': presenceSubscribe,
  'user.attributes.write': userAttributesWrite,
  'user.attributes.get': userAttributesGet,
  'channel.attributes.write': channelAttributesWrite,
  'channel.attributes.get': channelAttributesGet,
  'invitation.send': invitationSend,
  'invitation.cancel': invitationCancel,
  'invitation.accept': invitationAnswer,
  'invitation.refuse': invitationAnswer,
  'invitation.settle': invitationSettle,
};
