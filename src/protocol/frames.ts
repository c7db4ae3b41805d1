import { RtmError, type ErrorBody } from './errors.js';
import { checkChannelName, checkClientMessageId, checkUserId } from './ids.js';
import { MAX_HISTORY_PAGE, MAX_MESSAGE_BYTES, MAX_MEMBER_COUNT_QUERY, MAX_PRESENCE_QUERY, MAX_SEARCH_QUERY_LENGTH } from './limits.js';
import { checkMessageId, parseReaction, type MessageChange } from './changes.js';
import { MESSAGE_TYPES, describeTextProblem, utf8ByteLength, type MessageType, type StoredMessage, type WireMessage, type WireTextMessage } from './messages.js';
import { parseWireMessage } from './wire-message.js';
import { parseAttributeKeys, parseAttributeWrite, type AttributeWrite, type AttributesMap, type ChannelAttributes } from './attributes.js';
import { parseInvitationFrame, type InvitationClientFrame, type InvitationReplyResults, type InvitationServerFrame } from './invitations.js';

/**
 * WebSocket frames: one JSON object per text frame, discriminated by `t`. Requests from the client
 * carry a numeric `id` that the server's `reply` echoes. See docs/protocol.md.
 */

// ---- client → server ------------------------------------------------------------------------

export interface LoginFrame {
  t: 'login';
  id: number;
  appId: string;
  uid: string;
  token: string;
}

export interface LogoutFrame {
  t: 'logout';
  id: number;
}

export interface PingFrame {
  t: 'ping';
  id: number;
}

/** Replaces the token of the logged-in connection (same app and user, a later expiry). */
export interface RenewFrame {
  t: 'renew';
  id: number;
  token: string;
}

export type PeerSendFrame = {
  t: 'peer.send';
  id: number;
  /** Receiver user id. */
  to: string;
  /** Client message id: the same id sent again stores one message and gets the original ack. */
  cmid: string;
  message: WireMessage;
  /** Keep the message for the receiver when they are offline. */
  offline: boolean;
} & SendFlags;

/**
 * Per-message send options of `peer.send` and `channel.send` (seed 003's `JMSGOptionalContent`,
 * as far as they fit read markers).
 */
export interface SendFlags {
  /**
   * Deliver to whoever is connected now and never store it (seed 003 `noSaveOffline`, taken all
   * the way): no seq (the ack and the pushed message say `seq: 0`), not in history, sync, search,
   * unread counts or the conversation list, never kept offline. Its id names no stored message, so
   * changes and replies to it are refused (MESSAGE_NOT_FOUND, INVALID_REPLY). Default false.
   */
  transient?: boolean;
  /**
   * Whether the sender's clients show delivered and read receipts for this message (seed 003
   * `needReadReceipt`). Default true: receipts here are read markers per conversation and cost
   * nothing extra. `false` is stored on the message (`needReadReceipt: false`) for every device of
   * the sender; the markers themselves still move, since they cover the whole conversation.
   */
  needReadReceipt?: boolean;
}

export interface ChannelJoinFrame {
  t: 'channel.join';
  id: number;
  channel: string;
}

export interface ChannelLeaveFrame {
  t: 'channel.leave';
  id: number;
  channel: string;
}

export type ChannelSendFrame = {
  t: 'channel.send';
  id: number;
  channel: string;
  cmid: string;
  message: WireMessage;
} & SendFlags;

export interface ChannelMembersFrame {
  t: 'channel.members';
  id: number;
  channel: string;
}

/** How many users have joined each of `channels` (Agora's getChannelMemberCount); no join needed. */
export interface ChannelMemberCountFrame {
  t: 'channel.member_count';
  id: number;
  /** 1 … MAX_MEMBER_COUNT_QUERY channel names, duplicates dropped. */
  channels: string[];
}

/** One page of a conversation's history, newest first. */
export interface HistoryFrame {
  t: 'history';
  id: number;
  /** Exactly one of `peer` and `channel`. */
  peer?: string;
  channel?: string;
  /** Only messages with a smaller sequence number (paging back). */
  beforeSeq?: number;
  /** At most {@link MAX_HISTORY_PAGE}. */
  limit: number;
}

/** A conversation named from the caller's side: exactly one of `peer` and `channel`. */
export type ConversationRef = { peer: string; channel?: undefined } | { channel: string; peer?: undefined };

/**
 * Messages after a sequence number, oldest first (catching up after a reconnect). When more than
 * MAX_SYNC_GAP messages are missing the reply says `reset: true` and carries the newest page
 * instead: the client drops its copy and starts again from there ("too far behind, reload").
 */
export type SyncFrame = { t: 'sync'; id: number; afterSeq: number; limit: number } & ConversationRef;

/** The caller's conversations with last message, read state and unread counts (server-computed). */
export interface ConversationsFrame {
  t: 'conversations';
  id: number;
}

/** Moves the caller's read marker of a conversation up to `seq` (never back). */
export type ReadFrame = { t: 'read'; id: number; seq: number } & ConversationRef;

/** Every member's read marker in a channel, for "read by N of M" and reader lists. */
export interface ChannelReceiptsFrame {
  t: 'channel.receipts';
  id: number;
  channel: string;
}

/** "I am typing" in a conversation: relayed, never stored, rate-limited. */
export type TypingFrame = { t: 'typing'; id: number } & ConversationRef;

/** Online status of up to MAX_PRESENCE_QUERY users (Agora's queryPeersOnlineStatus). */
export interface PresenceQueryFrame {
  t: 'presence.query';
  id: number;
  uids: string[];
}

/** Start (or stop) hearing `presence` pushes for these users (Agora's subscribePeersOnlineStatus). */
export interface PresenceSubscribeFrame {
  t: 'presence.subscribe' | 'presence.unsubscribe';
  id: number;
  uids: string[];
}

/** Retract one of the caller's own messages (within RETRACT_WINDOW_MS of its server time). */
export interface MessageRetractFrame {
  t: 'message.retract';
  id: number;
  messageId: string;
}

/**
 * Replace the text of one of the caller's own TEXT messages. `cmid` names this edit: sent again
 * (a resend after a reconnect), it changes nothing and gets the message as it is now.
 */
export interface MessageEditFrame {
  t: 'message.edit';
  id: number;
  messageId: string;
  cmid: string;
  message: WireTextMessage;
}

/** Add or remove the caller's reaction with one emoji (both idempotent). */
export interface ReactionFrame {
  t: 'reaction.add' | 'reaction.remove';
  id: number;
  messageId: string;
  emoji: string;
}

/** Delete a message for the caller only: gone from their history on every device (idempotent). */
export interface MessageDeleteFrame {
  t: 'message.delete';
  id: number;
  messageId: string;
}

/**
 * Changes to a conversation's messages after change number `afterChangeSeq`, oldest change first:
 * each changed message once, in its current state. 0 asks for every change.
 */
export type ChangesFrame = { t: 'changes'; id: number; afterChangeSeq: number; limit: number } & ConversationRef;

/**
 * A transparent command (seed 003): an app's signal to the other side of a conversation, relayed
 * to whoever is connected now and never stored or shown — not even on the sender's other devices.
 */
export type CommandFrame = { t: 'command'; id: number; payload: string } & ConversationRef;

/**
 * Messages matching every word of `query`, newest first: in one conversation (`peer` / `channel`)
 * or in all of the caller's. `types` keeps only those message types; `after` / `before` (ms since
 * the epoch) a time range; `cursor` continues from the previous page.
 */
export interface SearchFrame {
  t: 'search';
  id: number;
  query: string;
  peer?: string;
  channel?: string;
  types?: MessageType[];
  after?: number;
  before?: number;
  cursor?: number;
  limit: number;
}

/** One search result: the message, the text that matched and where in it the words are. */
export interface SearchHit {
  message: StoredMessage;
  /** The searchable text of the message: its text, file name and caption, place, or description. */
  text: string;
  /** `[start, end)` character ranges of the query's words in `text`. */
  highlights: [number, number][];
}

/**
 * Deletes a conversation for the caller only: off their list until a newer message, and with
 * `history`, every message so far gone from their history on every device.
 */
export type ConversationDeleteFrame = { t: 'conversation.delete'; id: number; history: boolean } & ConversationRef;

/** Change the caller's own attributes (Agora's setLocalUserAttributes and its siblings). */
export type UserAttributesWriteFrame = { t: 'user.attributes.write'; id: number } & AttributeWrite;

/** A user's attributes, all or those of `keys` (Agora's getUserAttributes / …ByKeys). */
export interface UserAttributesGetFrame {
  t: 'user.attributes.get';
  id: number;
  uid: string;
  keys?: string[];
}

/**
 * Change a channel's attributes (Agora's setChannelAttributes and its siblings); the caller must
 * have joined it. With `notify` (Agora's enableNotificationToChannelMembers) every joined
 * connection gets a `channel.attributes` push with the channel's attributes after the write.
 */
export type ChannelAttributesWriteFrame = { t: 'channel.attributes.write'; id: number; channel: string; notify: boolean } & AttributeWrite;

/** A channel's attributes, all or those of `keys`; no need to have joined (as in Agora). */
export interface ChannelAttributesGetFrame {
  t: 'channel.attributes.get';
  id: number;
  channel: string;
  keys?: string[];
}

export type ClientFrame =
  | InvitationClientFrame
  | ChannelMemberCountFrame
  | UserAttributesWriteFrame
  | UserAttributesGetFrame
  | ChannelAttributesWriteFrame
  | ChannelAttributesGetFrame
  | ConversationDeleteFrame
  | SearchFrame
  | CommandFrame
  | MessageRetractFrame
  | MessageEditFrame
  | ReactionFrame
  | MessageDeleteFrame
  | ChangesFrame
  | SyncFrame
  | ConversationsFrame
  | ReadFrame
  | ChannelReceiptsFrame
  | TypingFrame
  | PresenceQueryFrame
  | PresenceSubscribeFrame
  | LoginFrame
  | LogoutFrame
  | PingFrame
  | RenewFrame
  | PeerSendFrame
  | ChannelJoinFrame
  | ChannelLeaveFrame
  | ChannelSendFrame
  | ChannelMembersFrame
  | HistoryFrame;

export type ClientFrameType = ClientFrame['t'];

// ---- server → client ------------------------------------------------------------------------

/** Result payloads of successful replies, by request frame type. */
export interface ReplyResults extends InvitationReplyResults {
  /** `tokenExpiresAt`: when the login token expires (ms since the epoch); renew before it. */
  login: { uid: string; serverTime: number; tokenExpiresAt: number };
  renew: { tokenExpiresAt: number };
  logout: Record<string, never>;
  ping: { serverTime: number };
  'peer.send': SendAck & {
    /** Whether at least one connection of the receiver got it. */
    hasPeerReceived: boolean;
    /** Whether it was kept for an offline receiver. */
    storedOffline: boolean;
  };
  'channel.join': { members: string[] };
  'channel.leave': Record<string, never>;
  'channel.send': SendAck & {
    /** Transient sends only: how many users of the channel other than the sender got it live. */
    received?: number;
  };
  'channel.members': { members: string[] };
  'channel.member_count': { counts: Record<string, number> };
  /** `changeSeq`: the conversation's newest change number as the caller sees it; ask `changes` from there later. */
  history: { messages: StoredMessage[]; hasMore: boolean; changeSeq: number };
  sync: { messages: StoredMessage[]; hasMore: boolean; reset: boolean; changeSeq: number };
  changes: { changes: MessageChange[]; hasMore: boolean; changeSeq: number };
  'message.retract': { message: StoredMessage };
  /** `duplicate`: this edit's cmid had been applied before; `message` is the current state. */
  'message.edit': { message: StoredMessage; duplicate: boolean };
  'reaction.add': { message: StoredMessage };
  'reaction.remove': { message: StoredMessage };
  'message.delete': { changeSeq: number };
  command: Record<string, never>;
  /** `clearedSeq`: every message up to it is gone from the caller's history (0: history kept). */
  'conversation.delete': { clearedSeq: number; totalUnread: number };
  /** `cursor`: pass it to get the next (older) page while `hasMore`. */
  search: { results: SearchHit[]; hasMore: boolean; cursor?: number };
  conversations: { conversations: ConversationState[]; totalUnread: number };
  read: ReadState;
  'channel.receipts': { channel: string; members: MemberReadState[] };
  typing: Record<string, never>;
  'presence.query': { status: Record<string, PeerStatus> };
  'presence.subscribe': { status: Record<string, PeerStatus> };
  'presence.unsubscribe': Record<string, never>;
  'user.attributes.write': Record<string, never>;
  'user.attributes.get': { attributes: AttributesMap };
  'channel.attributes.write': Record<string, never>;
  'channel.attributes.get': { attributes: ChannelAttributes };
}

/** Online status as the RTM SDK names it. */
export type PeerStatus = 'ONLINE' | 'OFFLINE';

/** The caller's read state of one conversation after a change, plus the new total. */
export interface ReadState {
  kind: 'peer' | 'channel';
  /** Peer user id or channel name. */
  id: string;
  /** The caller's read marker: every message up to this sequence number counts as read. */
  readSeq: number;
  /** Messages from others after `readSeq`. */
  unread: number;
  /** Unread messages over all the caller's conversations. */
  totalUnread: number;
}

/** One conversation of the caller, as the server sees it. */
export interface ConversationState {
  kind: 'peer' | 'channel';
  id: string;
  lastMessage?: StoredMessage;
  /** Sequence number of the newest message (0 when none). */
  lastSeq: number;
  readSeq: number;
  unread: number;
  /** Peer conversations: how far the other user has read (read receipts for the caller's messages). */
  peerReadSeq?: number;
  /** Peer conversations: how far messages reached a device of the other user (delivery receipts). */
  peerDeliveredSeq?: number;
  /** An unread message mentions the caller (`@uid`, or `@all` in a channel): the inbox shows "@". */
  mentioned?: true;
}

export interface MemberReadState {
  uid: string;
  readSeq: number;
}

/** What the server assigned to a stored message. */
export interface SendAck {
  messageId: string;
  seq: number;
  ts: number;
  /** True when this client message id had been stored before (a resend). */
  duplicate: boolean;
}

export type ReplyFrame =
  | { t: 'reply'; id: number; ok: true; result: ReplyResults[ClientFrameType] }
  | { t: 'reply'; id: number; ok: false; error: ErrorBody };

export interface PeerMessageFrame {
  t: 'peer.message';
  message: StoredMessage;
  /** Delivered from the offline store at login. */
  offline: boolean;
}

export interface ChannelMessageFrame {
  t: 'channel.message';
  message: StoredMessage;
}

export interface MemberJoinedFrame {
  t: 'channel.member_joined';
  channel: string;
  uid: string;
}

export interface MemberLeftFrame {
  t: 'channel.member_left';
  channel: string;
  uid: string;
}

/** An error not tied to a request (a frame with no usable id, or a server notice). */
export interface ErrorFrame {
  t: 'error';
  id?: number;
  error: ErrorBody;
}

/**
 * Offline messages of one peer conversation, delivered at login in one batch per conversation,
 * oldest first.
 */
export interface OfflineBatchFrame {
  t: 'peer.offline_batch';
  peer: string;
  messages: StoredMessage[];
}

/** The caller's read marker moved (on another of their connections, or by this one). */
export interface ReadUpdatedFrame extends ReadState {
  t: 'read.updated';
}

/**
 * A receipt for the caller's peer messages: `delivered` when they reached a device of `peer`,
 * `read` when `peer`'s read marker passed them. `seq` covers every message up to it.
 */
export interface ReceiptFrame {
  t: 'receipt';
  kind: 'delivered' | 'read';
  peer: string;
  seq: number;
}

/** A channel member's read marker moved (for "read by N of M"). */
export interface ChannelReadFrame {
  t: 'channel.read';
  channel: string;
  uid: string;
  readSeq: number;
}

/** Someone is typing; the line should disappear after `expiresInMs` unless renewed. */
export type TypingPushFrame = { t: 'typing'; from: string; expiresInMs: number } & ConversationRef;

/** A subscribed user's online status changed. */
/**
 * The connection's token expires at `tokenExpiresAt` (ms since the epoch), `TOKEN_WILL_EXPIRE_MS`
 * from now or sooner: send `renew` with a new token, or the server closes the connection then
 * (close code TOKEN_EXPIRED).
 */
export interface TokenWillExpireFrame {
  t: 'token.will_expire';
  tokenExpiresAt: number;
}

export interface PresenceFrame {
  t: 'presence';
  uid: string;
  status: PeerStatus;
}

/** What happened to a message in a `message.changed` push. */
export type MessageChangeKind =
  | { kind: 'retracted' }
  | { kind: 'edited' }
  | { kind: 'reaction'; emoji: string; uid: string; added: boolean };

/**
 * A message of a conversation of the caller changed; `message` is its current state (with its
 * `changeSeq`). Sent to every connection of the conversation except the one that made the change.
 */
export interface MessageChangedFrame {
  t: 'message.changed';
  message: StoredMessage;
  change: MessageChangeKind;
}

/** The caller deleted a message for themself on another connection: drop it. */
export type MessageDeletedFrame = { t: 'message.deleted'; messageId: string; seq: number; changeSeq: number } & ConversationRef;

/** A command from `from` (see CommandFrame); `peer` is the sender for peer commands. */
export type CommandPushFrame = { t: 'command'; from: string; payload: string } & ConversationRef;

/** The caller deleted a conversation on another connection (see ConversationDeleteFrame). */
export type ConversationDeletedFrame = { t: 'conversation.deleted'; clearedSeq: number } & ConversationRef;

/** A channel's attributes after a write that asked to notify its members (Agora's AttributesUpdated). */
export interface ChannelAttributesFrame {
  t: 'channel.attributes';
  channel: string;
  attributes: ChannelAttributes;
}

export type ServerFrame =
  | InvitationServerFrame
  | ChannelAttributesFrame
  | ConversationDeletedFrame
  | CommandPushFrame
  | MessageChangedFrame
  | MessageDeletedFrame
  | OfflineBatchFrame
  | ReadUpdatedFrame
  | ReceiptFrame
  | ChannelReadFrame
  | TypingPushFrame
  | PresenceFrame
  | TokenWillExpireFrame
  | ReplyFrame
  | PeerMessageFrame
  | ChannelMessageFrame
  | MemberJoinedFrame
  | MemberLeftFrame
  | ErrorFrame;

// ---- validation -----------------------------------------------------------------------------

/** A frame failed validation; `requestId` is the frame's id when it had a usable one. */
export class FrameError extends RtmError {
  readonly requestId: number | undefined;
  constructor(error: RtmError, requestId: number | undefined) {
    super(error.reason, error.message);
    this.requestId = requestId;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(reason: 'INVALID_FIELD', message: string): RtmError {
  return new RtmError(reason, message);
}

function requireString(frame: Record<string, unknown>, key: string): string {
  const value = frame[key];
  if (typeof value !== 'string') throw field('INVALID_FIELD', `"${key}" must be a string.`);
  return value;
}

function requireValid<T>(value: T, error: RtmError | undefined): T {
  if (error) throw error;
  return value;
}

const REQUEST_ID_MAX = 2 ** 31 - 1;

function readRequestId(frame: Record<string, unknown>): number | undefined {
  const id = frame.id;
  return Number.isInteger(id) && (id as number) >= 0 && (id as number) <= REQUEST_ID_MAX ? (id as number) : undefined;
}

/**
 * Parses one text frame from a client. Throws a {@link FrameError} (an RtmError with the frame's
 * request id when it had one) for malformed JSON, an unknown `t`, or invalid fields.
 */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError(new RtmError('MALFORMED_FRAME', 'Frame is not valid JSON.'), undefined);
  }
  if (!isRecord(value)) {
    throw new FrameError(new RtmError('MALFORMED_FRAME', 'Frame must be a JSON object.'), undefined);
  }
  const id = readRequestId(value);
  try {
    if (id === undefined) throw field('INVALID_FIELD', '"id" must be a non-negative integer request id.');
    return parseKnownFrame(value, id);
  } catch (error) {
    if (error instanceof RtmError) throw new FrameError(error, id);
    throw error;
  }
}

function parseKnownFrame(frame: Record<string, unknown>, id: number): ClientFrame {
  switch (frame.t) {
    case 'login':
      return {
        t: 'login',
        id,
        appId: requireString(frame, 'appId'),
        uid: requireValid(requireString(frame, 'uid'), checkUserId(frame.uid)),
        token: requireString(frame, 'token'),
      };
    case 'logout':
      return { t: 'logout', id };
    case 'ping':
      return { t: 'ping', id };
    case 'renew':
      return { t: 'renew', id, token: requireString(frame, 'token') };
    case 'peer.send': {
      const offline = optionalFlag(frame, 'offline', false);
      const flags = parseSendFlags(frame);
      if (offline && flags.transient) {
        throw field('INVALID_FIELD', 'A "transient" message is never stored, so it cannot be kept "offline" too; send one or the other.');
      }
      return {
        t: 'peer.send',
        id,
        to: requireValid(requireString(frame, 'to'), checkUserId(frame.to, 'Peer id')),
        cmid: requireValid(requireString(frame, 'cmid'), checkClientMessageId(frame.cmid)),
        message: parseWireMessage(frame.message),
        offline,
        ...flags,
      };
    }
    case 'channel.join':
    case 'channel.leave':
    case 'channel.members':
      return {
        t: frame.t,
        id,
        channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)),
      };
    case 'channel.send':
      return {
        t: 'channel.send',
        id,
        channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)),
        cmid: requireValid(requireString(frame, 'cmid'), checkClientMessageId(frame.cmid)),
        message: parseWireMessage(frame.message),
        ...parseSendFlags(frame),
      };
    case 'history':
      return parseHistoryFrame(frame, id);
    case 'sync':
      return {
        t: 'sync',
        id,
        afterSeq: requireSeq(frame, 'afterSeq'),
        limit: optionalLimit(frame),
        ...parseConversationRef(frame, 'Sync'),
      };
    case 'conversations':
      return { t: 'conversations', id };
    case 'read':
      return { t: 'read', id, seq: requireSeq(frame, 'seq'), ...parseConversationRef(frame, 'Read') };
    case 'channel.receipts':
      return {
        t: 'channel.receipts',
        id,
        channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)),
      };
    case 'typing':
      return { t: 'typing', id, ...parseConversationRef(frame, 'Typing') };
    case 'user.attributes.write':
      return { t: 'user.attributes.write', id, ...parseAttributeWrite(frame) };
    case 'user.attributes.get':
      return {
        t: 'user.attributes.get',
        id,
        uid: requireValid(requireString(frame, 'uid'), checkUserId(frame.uid)),
        ...optionalAttributeKeys(frame),
      };
    case 'channel.attributes.write':
      return {
        t: 'channel.attributes.write',
        id,
        channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)),
        notify: frame.notify === true,
        ...parseAttributeWrite(frame),
      };
    case 'channel.attributes.get':
      return {
        t: 'channel.attributes.get',
        id,
        channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)),
        ...optionalAttributeKeys(frame),
      };
    case 'presence.query':
      return { t: 'presence.query', id, uids: parseUserIds(frame) };
    case 'channel.member_count':
      return { t: 'channel.member_count', id, channels: parseChannelNames(frame) };
    case 'message.retract':
    case 'message.delete':
      return { t: frame.t, id, messageId: requireMessageId(frame) };
    case 'message.edit': {
      const messageId = requireMessageId(frame);
      const cmid = requireValid(requireString(frame, 'cmid'), checkClientMessageId(frame.cmid));
      const message = parseWireMessage(frame.message);
      if (message.type !== 'TEXT') throw new RtmError('MESSAGE_NOT_EDITABLE', 'An edit replaces text: its "message" must be a TEXT message.');
      return { t: 'message.edit', id, messageId, cmid, message };
    }
    case 'reaction.add':
    case 'reaction.remove':
      return { t: frame.t, id, messageId: requireMessageId(frame), emoji: parseReaction(frame.emoji) };
    case 'search':
      return parseSearchFrame(frame, id);
    case 'conversation.delete': {
      if (frame.history !== undefined && typeof frame.history !== 'boolean') throw field('INVALID_FIELD', '"history" must be a boolean.');
      return { t: 'conversation.delete', id, history: frame.history === true, ...parseConversationRef(frame, 'Deleting a conversation') };
    }
    case 'command':
      return { t: 'command', id, payload: parseCommandPayload(frame.payload), ...parseConversationRef(frame, 'A command') };
    case 'changes':
      return {
        t: 'changes',
        id,
        afterChangeSeq: requireSeq(frame, 'afterChangeSeq'),
        limit: optionalLimit(frame),
        ...parseConversationRef(frame, 'Changes'),
      };
    case 'presence.subscribe':
    case 'presence.unsubscribe':
      return { t: frame.t, id, uids: parseUserIds(frame) };
    default: {
      const invitation = parseInvitationFrame(frame, id);
      if (invitation) return invitation;
      throw new RtmError('UNKNOWN_FRAME', `Unknown frame type ${JSON.stringify(frame.t)}.`);
    }
  }
}

function parseSearchFrame(frame: Record<string, unknown>, id: number): SearchFrame {
  const query = frame.query;
  if (typeof query !== 'string' || query.trim().length === 0 || query.length > MAX_SEARCH_QUERY_LENGTH) {
    throw field('INVALID_FIELD', `"query" must be text of 1 to ${MAX_SEARCH_QUERY_LENGTH} characters.`);
  }
  const result: SearchFrame = { t: 'search', id, query, limit: optionalLimit(frame) };
  if (frame.peer !== undefined || frame.channel !== undefined) Object.assign(result, parseConversationRef(frame, 'Search'));
  if (frame.types !== undefined) {
    const types = frame.types;
    if (!Array.isArray(types) || types.length === 0 || types.some((type) => !(MESSAGE_TYPES as readonly unknown[]).includes(type))) {
      throw field('INVALID_FIELD', `"types" must be a non-empty array of ${MESSAGE_TYPES.join(', ')}.`);
    }
    result.types = [...new Set(types as MessageType[])];
  }
  for (const key of ['after', 'before', 'cursor'] as const) {
    if (frame[key] !== undefined) result[key] = requireSeq(frame, key);
  }
  return result;
}

/** A command's payload: text of 1 … MAX_MESSAGE_BYTES UTF-8 bytes (an app's own JSON, usually). */
function parseCommandPayload(value: unknown): string {
  if (typeof value !== 'string') throw field('INVALID_FIELD', '"payload" must be a string (stringify JSON yourself).');
  if (value.length === 0) throw new RtmError('MESSAGE_EMPTY', 'A command needs a non-empty "payload".');
  const problem = describeTextProblem(value);
  if (problem) throw new RtmError('INVALID_MESSAGE', `The "payload" ${problem}.`);
  const size = utf8ByteLength(value);
  if (size > MAX_MESSAGE_BYTES) throw new RtmError('MESSAGE_TOO_LARGE', `A command payload is at most ${MAX_MESSAGE_BYTES} bytes; this one is ${size}.`);
  return value;
}

/** An optional boolean field; absent is `fallback`. A truthy non-boolean (`1`, `"true"`) is refused, never guessed. */
function optionalFlag(frame: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = frame[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw field('INVALID_FIELD', `"${key}" must be a boolean.`);
  return value;
}

/** Both flags, always set once parsed (the server reads them without defaults of its own). */
function parseSendFlags(frame: Record<string, unknown>): Required<SendFlags> {
  return { transient: optionalFlag(frame, 'transient', false), needReadReceipt: optionalFlag(frame, 'needReadReceipt', true) };
}

function requireMessageId(frame: Record<string, unknown>): string {
  return requireValid(frame.messageId as string, checkMessageId(frame.messageId));
}

/** Exactly one of `peer` (a user id) and `channel` (a channel name). */
function parseConversationRef(frame: Record<string, unknown>, what: string): ConversationRef {
  const hasPeer = frame.peer !== undefined;
  const hasChannel = frame.channel !== undefined;
  if (hasPeer === hasChannel) throw field('INVALID_FIELD', `${what} needs exactly one of "peer" and "channel".`);
  if (hasPeer) return { peer: requireValid(requireString(frame, 'peer'), checkUserId(frame.peer, 'Peer id')) };
  return { channel: requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel)) };
}

/** A sequence number field: an integer ≥ 0 (0 = before the first message). */
function requireSeq(frame: Record<string, unknown>, key: string): number {
  const value = frame[key];
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw field('INVALID_FIELD', `"${key}" must be an integer ≥ 0.`);
  }
  return value as number;
}

/** `limit`: 1 … MAX_HISTORY_PAGE, MAX_HISTORY_PAGE when absent. */
function optionalLimit(frame: Record<string, unknown>): number {
  const limit = frame.limit ?? MAX_HISTORY_PAGE;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_HISTORY_PAGE) {
    throw field('INVALID_FIELD', `"limit" must be an integer from 1 to ${MAX_HISTORY_PAGE}.`);
  }
  return limit as number;
}

function optionalAttributeKeys(frame: Record<string, unknown>): { keys?: string[] } {
  return frame.keys === undefined ? {} : { keys: parseAttributeKeys(frame.keys) };
}

/** `channels`: 1 … MAX_MEMBER_COUNT_QUERY valid channel names (counted as sent), returned without duplicates. */
function parseChannelNames(frame: Record<string, unknown>): string[] {
  return parseIdList(frame, 'channels', MAX_MEMBER_COUNT_QUERY, 'channel names', checkChannelName);
}

/** `uids`: 1 … MAX_PRESENCE_QUERY valid user ids (counted as sent), returned without duplicates. */
function parseUserIds(frame: Record<string, unknown>): string[] {
  return parseIdList(frame, 'uids', MAX_PRESENCE_QUERY, 'user ids', checkUserId);
}

/** The array `frame[name]` of 1 … `max` ids that pass `check`, without duplicates. */
function parseIdList(
  frame: Record<string, unknown>,
  name: string,
  max: number,
  noun: string,
  check: (value: unknown, what: string) => RtmError | undefined,
): string[] {
  const ids = frame[name];
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > max) {
    throw field('INVALID_FIELD', `"${name}" must be an array of 1 to ${max} ${noun}.`);
  }
  for (const [index, id] of ids.entries()) {
    if (typeof id !== 'string') throw field('INVALID_FIELD', `"${name}[${index}]" must be a string.`);
    const invalid = check(id, `${name}[${index}]`);
    if (invalid) throw invalid;
  }
  return [...new Set(ids as string[])];
}

function parseHistoryFrame(frame: Record<string, unknown>, id: number): HistoryFrame {
  const hasPeer = frame.peer !== undefined;
  const hasChannel = frame.channel !== undefined;
  if (hasPeer === hasChannel) throw field('INVALID_FIELD', 'History needs exactly one of "peer" and "channel".');
  const result: HistoryFrame = { t: 'history', id, limit: optionalLimit(frame) };
  if (frame.beforeSeq !== undefined) {
    if (!Number.isInteger(frame.beforeSeq) || (frame.beforeSeq as number) < 1) {
      throw field('INVALID_FIELD', '"beforeSeq" must be a positive integer.');
    }
    result.beforeSeq = frame.beforeSeq as number;
  }
  if (hasPeer) result.peer = requireValid(requireString(frame, 'peer'), checkUserId(frame.peer, 'Peer id'));
  else result.channel = requireValid(requireString(frame, 'channel'), checkChannelName(frame.channel));
  return result;
}
