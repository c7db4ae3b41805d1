import type { ReadableAtom } from 'nanostores';
import { requireDurationMs, type PeerStatus, type RtmError } from '../protocol/index.js';
import type { ChatMessage } from './chat-message.js';
import type { ChatSearchPage, ChatSearchQuery, ChatSession, ChatSessionOptions, SendOptions } from './chat-session.js';
import type { ConversationSummary } from './conversation-list.js';
import type { ChatStoreListener, ConnectionSnapshot } from './events.js';
import { firstUnreadSeq } from './first-unread.js';
import { checkConversationKey, conversationKey, targetOf, type ConversationKey, type ConversationKind } from './keys.js';
import type { ChannelReaders } from './live/readers.js';
import type { ChatInvitation } from './live/invitations.js';
import type { ChatProfile, ChatProfileUpdate } from './live/profiles.js';
import { channelReceipt, peerReceipt, type ChatReceipt } from './receipts.js';
import { SessionContext } from './session/context.js';
import { Changes } from './session/changes.js';
import { Derived } from './session/derived.js';
import { Lifecycle } from './session/lifecycle.js';
import { Media } from './session/media.js';
import { Receiver } from './session/receive.js';
import { Sending } from './session/sending.js';
import { Sync } from './session/sync.js';
import type { ChatDownload, TransferSnapshot } from './transfer.js';

export type { ChatSearchPage, ChatSearchQuery, ChatSession, ChatSessionOptions, SendOptions } from './chat-session.js';

/**
 * Creates a chat session. Nothing happens on the network until `start()`.
 *
 * @example
 * const session = createChatSession({ server: 'https://chat.example.com', appId: 'demo', userId: 'alice', token });
 * await session.start();
 * const $messages = session.messagesOf(session.conversationKey('peer', 'bob'));
 * $messages.subscribe((messages) => render(messages));
 * session.send('peer:bob', 'hello');
 */
export function createChatSession(options: ChatSessionOptions): ChatSession {
  return new Session(options);
}

/**
 * The session facade: the public ChatSession over feature modules that share one
 * {@link SessionContext}. It holds no state of its own beyond them; each method hands over to the
 * module whose job it is.
 */
class Session implements ChatSession {
  readonly userId: string;
  readonly #session: SessionContext;
  readonly #lifecycle: Lifecycle;
  readonly #sync: Sync;
  readonly #sending: Sending;
  readonly #changes: Changes;
  readonly #media: Media;
  readonly #derived: Derived;

  constructor(options: ChatSessionOptions) {
    this.userId = options.userId;
    const session = (this.#session = new SessionContext(options));
    const receiver = new Receiver(session);
    this.#changes = new Changes(session);
    this.#sync = new Sync(session, receiver, this.#changes);
    this.#sending = new Sending(session);
    this.#media = new Media(session, this.#sending);
    this.#derived = new Derived(session);
    this.#lifecycle = new Lifecycle(session, { receiver, changes: this.#changes, sync: this.#sync, sending: this.#sending });
  }

  get $connection(): ReadableAtom<ConnectionSnapshot> {
    return this.#session.$connection;
  }

  get $conversations(): ReadableAtom<readonly ConversationSummary[]> {
    return this.#session.list.$list;
  }

  get $totalUnread(): ReadableAtom<number> {
    return this.#session.list.$total;
  }

  conversationKey(kind: ConversationKind, id: string): ConversationKey {
    return conversationKey(kind, id);
  }

  subscribe(listener: ChatStoreListener): () => void {
    return this.#session.events.subscribe(listener);
  }

  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  // ---- conversations --------------------------------------------------------------------------

  messagesOf(key: ConversationKey): ReadableAtom<readonly ChatMessage[]> {
    return this.#session.conversation(key).$messages;
  }

  loadOlder(key: ConversationKey): Promise<boolean> {
    return this.#sync.loadOlder(key);
  }

  leave(key: ConversationKey): Promise<void> {
    return this.#sync.leave(key);
  }

  // ---- read state, receipts, typing, presence ---------------------------------------------------

  markRead(key: ConversationKey): void {
    const { client, active, list } = this.#session;
    const target = targetOf(key);
    const seq = this.#session.existing(key)?.maxSeq ?? 0;
    if (!client || !active || !target || seq === 0 || seq <= (list.get(key)?.readSeq ?? 0)) return;
    list.markedRead(key, seq);
    client.markRead({ ...target, seq }).catch((error: unknown) => this.#session.active && this.#session.report(error, key));
  }

  receiptsOf(key: ConversationKey): ReadableAtom<ReadonlyMap<string, ChatReceipt>> {
    return this.#derived.receiptsOf(key);
  }

  receiptOf(key: ConversationKey, message: ChatMessage): 'sent' | 'delivered' | 'read' | undefined {
    return key.startsWith('peer:') ? peerReceipt(message, this.#session.list.get(key)) : undefined;
  }

  readersOf(key: ConversationKey): ReadableAtom<ChannelReaders | undefined> {
    return this.#session.readers.$of(key);
  }

  readCount(key: ConversationKey, message: ChatMessage): { read: number; of: number } | undefined {
    const receipt = key.startsWith('channel:') ? channelReceipt(message, this.#session.readers.peek(key)?.members) : undefined;
    return receipt && { read: receipt.read, of: receipt.of };
  }

  firstUnreadOf(key: ConversationKey): ReadableAtom<number | undefined> {
    return this.#derived.firstUnreadOf(key);
  }

  firstUnreadSeq(key: ConversationKey): number | undefined {
    const session = this.#session;
    // Raw values: reading a store with get() would mount it, and so show the conversation.
    const shown = session.mounted.has(key);
    const opened = shown ? session.$openedOf(key).value : session.listLoaded ? this.#sync.stateNow(key) : undefined;
    return firstUnreadSeq(session.existing(key)?.$messages.value ?? [], opened);
  }

  $typingOf(key: ConversationKey): ReadableAtom<readonly string[]> {
    return this.#session.typing.$of(key);
  }

  typing(key: ConversationKey): void {
    const { active, client } = this.#session;
    const target = targetOf(key);
    if (!active || !target || checkConversationKey(key)) return;
    // Best effort: a lost typing notice is not worth an error.
    client?.sendTypingIndicator(target).catch(() => {});
  }

  presenceOf(userId: string): ReadableAtom<PeerStatus | undefined> {
    return this.#session.presence.$of(userId);
  }

  get $profiles(): ReadableAtom<ReadonlyMap<string, ChatProfile>> {
    return this.#session.profiles.$profiles;
  }

  loadProfiles(userIds: Iterable<string>): void {
    this.#session.profiles.want(userIds);
  }

  get $invitations(): ReadableAtom<readonly ChatInvitation[]> {
    return this.#session.invitations.$invitations;
  }

  answerInvitation(id: string, accept: boolean, response?: string): void {
    this.#session.invitations.answer(id, accept, response);
  }

  setProfile(update: ChatProfileUpdate): Promise<void> {
    return this.#session.profiles.setOwn(update).catch((error: unknown) => {
      this.#session.report(error);
      throw error;
    });
  }

  // ---- sending --------------------------------------------------------------------------------

  validateDraft(key: ConversationKey, text: string): RtmError | undefined {
    return this.#sending.validateDraft(key, text);
  }

  send(key: ConversationKey, text: string, options?: SendOptions): Promise<ChatMessage> {
    return this.#sending.send(key, text, options);
  }

  retry(key: ConversationKey, localId: string): Promise<ChatMessage> {
    return this.#sending.retry(key, localId, () => this.#media.retry(key, localId));
  }

  // ---- messages that change -------------------------------------------------------------------

  retract(message: ChatMessage): Promise<void> {
    return this.#changes.actions().then((actions) => actions.retract(message));
  }

  edit(message: ChatMessage, text: string): Promise<void> {
    return this.#changes.actions().then((actions) => actions.edit(message, text));
  }

  toggleReaction(message: ChatMessage, emoji: string): Promise<void> {
    return this.#changes.actions().then((actions) => actions.toggleReaction(message, emoji));
  }

  deleteForMe(message: ChatMessage): Promise<void> {
    return this.#changes.actions().then((actions) => actions.deleteForMe(message));
  }

  search(query: ChatSearchQuery): Promise<ChatSearchPage> {
    return this.#changes.actions().then((actions) => actions.search(query));
  }

  deleteConversation(key: ConversationKey, options: { history?: boolean } = {}): Promise<void> {
    return this.#changes.actions().then((actions) => actions.deleteConversation(key, options.history === true));
  }

  forward(message: ChatMessage, to: ConversationKey): Promise<ChatMessage> {
    return this.#changes.actions().then((actions) => actions.forward(message, to));
  }

  // ---- files ----------------------------------------------------------------------------------

  validateFiles(key: ConversationKey, files: readonly File[]): (RtmError | undefined)[] {
    return this.#media.validateFiles(key, files);
  }

  sendFiles(key: ConversationKey, files: readonly File[]): ChatMessage[] {
    return this.#media.sendFiles(key, files);
  }

  sendVoice(key: ConversationKey, voice: Blob, durationMs: number): ChatMessage {
    // The duration is checked (it throws) before anything is added. A Blob's type becomes the
    // File's: File reads `type` from its options bag.
    return this.#media.sendFiles(key, [new File([voice], (voice as File).name || 'voice', voice)], requireDurationMs(durationMs, 'AUDIO'))[0]!;
  }

  transferOf(localId: string): ReadableAtom<TransferSnapshot | undefined> {
    return this.#media.transferOf(localId);
  }

  cancelUpload(_key: ConversationKey, localId: string): void {
    this.#media.cancel(localId);
  }

  download(mediaId: string): ChatDownload {
    return this.#media.download(mediaId);
  }

  mediaUrl(mediaId: string, fileName?: string): Promise<string> {
    return this.#media.mediaUrl(mediaId, fileName);
  }
}
