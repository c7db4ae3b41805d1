import type { InvitationServerFrame, ServerFrame, StoredMessage } from '../protocol/index.js';
import { channelInternals, type RtmChannel } from './channel.js';
import type { RtmClientEvents, SyncedMessageProps } from './events.js';
import { decodeStored, receivedMessages } from './history.js';
import type { Logger } from './log.js';
import { fromWireMessage } from './messages.js';

/**
 * Turns frames the server pushes (everything that is not a reply to a request) into client and
 * channel events.
 */

/** What the router needs of the client: its user, channels, own message ids, log and `emit`. */
export interface PushHost {
  /** The logged-in (or logging-in) user. */
  uid(): string;
  readonly channels: ReadonlyMap<string, RtmChannel>;
  /** Client message ids this client sent, to recognise its own messages echoed back. */
  readonly ownIds: ReadonlySet<string>;
  readonly log: Logger;
  emit<E extends keyof RtmClientEvents>(event: E, ...args: Parameters<RtmClientEvents[E]>): void;
  /** A call invitation push, for invitations.ts (loaded first; pushes kept in order). */
  invitation(frame: InvitationServerFrame): void;
}

/** Emits the events of one pushed frame. */
export function routeFrame(frame: ServerFrame, host: PushHost): void {
  switch (frame.t) {
    case 'peer.message':
      onStoredMessage(host, frame.message, frame.offline === true);
      break;
    case 'channel.message':
      onStoredMessage(host, frame.message, false);
      break;
    case 'channel.member_joined':
    case 'channel.member_left': {
      const channel = host.channels.get(frame.channel);
      if (!channel || frame.uid === host.uid()) break;
      const joined = frame.t === 'channel.member_joined';
      channelInternals(channel).emit(joined ? 'MemberJoined' : 'MemberLeft', frame.uid);
      channelInternals(channel).countMember(joined ? 1 : -1);
      break;
    }
    case 'channel.attributes': {
      const channel = host.channels.get(frame.channel);
      if (channel) channelInternals(channel).emit('AttributesUpdated', frame.attributes);
      break;
    }
    case 'message.changed': {
      const [message] = receivedMessages([frame.message], host.uid(), host.log);
      if (!message) break;
      const { change } = frame;
      if (change.kind === 'reaction') host.emit('ReactionChanged', message, { uid: change.uid, emoji: change.emoji, added: change.added });
      else host.emit(change.kind === 'retracted' ? 'MessageRetracted' : 'MessageEdited', message);
      break;
    }
    case 'command':
      // A command is for the other side, never for this user's own tabs and devices.
      if (frame.from !== host.uid()) {
        const where = frame.channel !== undefined ? { channelId: frame.channel } : { peerId: frame.from };
        host.emit('CommandReceived', { ...where, from: frame.from, payload: frame.payload });
      }
      break;
    case 'conversation.deleted':
      host.emit('ConversationDeleted', { ...(frame.channel !== undefined ? { channelId: frame.channel } : { peerId: frame.peer! }), clearedSeq: frame.clearedSeq });
      break;
    case 'message.deleted': {
      const where = frame.channel !== undefined ? { channelId: frame.channel } : { peerId: frame.peer as string };
      host.emit('MessageDeleted', { ...where, messageId: frame.messageId, seq: frame.seq });
      break;
    }
    case 'peer.offline_batch':
      onOfflineBatch(host, frame.peer, frame.messages);
      break;
    case 'read.updated': {
      const { t: _t, ...state } = frame;
      host.emit('ReadStateChanged', state);
      break;
    }
    case 'receipt':
      host.emit('MessageReceipt', { kind: frame.kind, peerId: frame.peer, seq: frame.seq });
      break;
    case 'channel.read':
      host.emit('ChannelReadStateChanged', { channelId: frame.channel, memberId: frame.uid, readSeq: frame.readSeq });
      break;
    case 'typing':
      if (frame.from === host.uid()) break;
      host.emit(
        'TypingStarted',
        frame.channel !== undefined
          ? { from: frame.from, channelId: frame.channel, expiresInMs: frame.expiresInMs }
          : { from: frame.from, peerId: frame.from, expiresInMs: frame.expiresInMs },
      );
      break;
    case 'token.will_expire':
      host.emit('TokenPrivilegeWillExpire');
      break;
    case 'presence':
      host.emit('PeersOnlineStatusChanged', { [frame.uid]: frame.status });
      break;
    case 'error':
      host.log.warn('Server error:', frame.error);
      break;
    default:
      if (frame.t.startsWith('invitation')) host.invitation(frame as InvitationServerFrame);
      else host.log.debug('Ignoring frame', frame.t);
  }
}

function onStoredMessage(host: PushHost, stored: StoredMessage, offline: boolean): void {
  const message = decodeStored(stored, (s) => fromWireMessage(s.message), host.log);
  if (!message) return;
  // Our envelope fields, as they came (undefined when absent): a reply's quote, how it was sent.
  const extra = { quote: stored.quote, transient: stored.transient, needReadReceipt: stored.needReadReceipt };
  if (stored.from === host.uid()) {
    // Our own message: echoed to this very connection (already known from the ack), or sent
    // from another tab or device (worth syncing).
    if (host.ownIds.has(stored.cmid)) return;
    const props: SyncedMessageProps = {
      messageId: stored.id,
      seq: stored.seq,
      serverReceivedTs: stored.ts,
      clientMessageId: stored.cmid,
      ...extra,
    };
    if (stored.channel !== undefined) props.channelId = stored.channel;
    else props.peerId = stored.to;
    host.emit('MessageSynced', message, props);
    return;
  }
  if (stored.channel !== undefined) {
    const channel = host.channels.get(stored.channel);
    if (!channel) return;
    channelInternals(channel).emit('ChannelMessage', message, stored.from, {
      serverReceivedTs: stored.ts,
      messageId: stored.id,
      seq: stored.seq,
      clientMessageId: stored.cmid,
      ...extra,
    });
    return;
  }
  host.emit('MessageFromPeer', message, stored.from, {
    isOfflineMessage: offline,
    serverReceivedTs: stored.ts,
    messageId: stored.id,
    seq: stored.seq,
    clientMessageId: stored.cmid,
    ...extra,
  });
}

/** One batch event for a peer conversation's offline messages, then the usual single events. */
function onOfflineBatch(host: PushHost, peerId: string, stored: StoredMessage[]): void {
  const messages = receivedMessages(Array.isArray(stored) ? stored : [], host.uid(), host.log).filter((m) => m.from === peerId);
  if (messages.length === 0) return;
  host.emit('OfflineMessagesReceived', { peerId, messages });
  for (const m of messages) {
    host.emit('MessageFromPeer', m.message, peerId, {
      isOfflineMessage: true,
      serverReceivedTs: m.serverReceivedTs,
      messageId: m.messageId,
      seq: m.seq,
      clientMessageId: m.clientMessageId,
    });
  }
}
