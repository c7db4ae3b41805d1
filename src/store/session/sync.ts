import { ConnectionState, type ChannelMessageProps, type ReceivedMessage, type RtmMessage } from '../../client/index.js';
import { RtmError } from '../../protocol/index.js';
import { historyChatMessage } from '../chat-message.js';
import type { OpenedState } from '../first-unread.js';
import { conversationKey, targetOf, type ConversationKey } from '../keys.js';
import type { MountedConversation, SessionContext } from './context.js';
import type { Changes } from './changes.js';
import type { Receiver } from './receive.js';

/**
 * Keeping shown conversations loaded: the cached messages at once, then the newest history page,
 * catching up after every reconnect, paging back on demand; the conversation list at every
 * (re)connect; and the channels followed (listened to and joined) while shown or listed.
 */
export class Sync {
  readonly #session: SessionContext;
  readonly #receiver: Receiver;
  readonly #changes: Changes;
  /** Channels whose events this session listens to (shown or listed), with the detaching function. */
  readonly #followed = new Map<ConversationKey, () => void>();

  constructor(session: SessionContext, receiver: Receiver, changes: Changes) {
    this.#session = session;
    this.#receiver = receiver;
    this.#changes = changes;
    session.onShow = (key) => {
      this.#show(key);
      // A channel stays joined when hidden: membership lasts, and the list keeps counting its unread.
      return () => {
        session.mounted.delete(key);
        session.$openedOf(key).set(undefined);
      };
    };
  }

  /** The connection is up (first login or a reconnect): catch up on what was missed meanwhile. */
  connected(): void {
    void this.#loadConversations();
    this.#session.readers.reload();
    for (const key of this.#session.mounted.keys()) void this.#load(key);
  }

  /** The session started: follow the channels shown or listed. */
  attach(): void {
    for (const key of this.#session.mounted.keys()) this.#follow(key);
    for (const { key } of this.#session.list.$list.get()) this.#follow(key);
  }

  /** The session stopped: stop listening to channels. */
  detach(): void {
    for (const detach of this.#followed.values()) detach();
    this.#followed.clear();
  }

  #show(key: ConversationKey): void {
    const session = this.#session;
    const mounted: MountedConversation = { loaded: false };
    session.mounted.set(key, mounted);
    session.$openedOf(key).set(undefined);
    if (session.listLoaded) this.#opened(key);
    mounted.cached = session.cache.recent(key).then((cached) => {
      if (session.mounted.get(key) !== mounted || cached.length === 0) return;
      const conversation = session.conversation(key);
      conversation.upsert(...cached);
      session.list.touch(conversation);
    });
    if (session.active) this.#follow(key);
    if (session.client?.connectionState === ConnectionState.CONNECTED) void this.#load(key);
  }

  /** How a conversation looks now in the list, for its "New" divider. */
  stateNow(key: ConversationKey): OpenedState {
    const { readSeq = 0, unread = 0 } = this.#session.list.get(key) ?? {};
    return { readSeq, unread, lastSeq: this.#session.list.lastSeqOf(key) };
  }

  /** Records how a shown conversation looks now, as it looked when opened. */
  #opened(key: ConversationKey): void {
    this.#session.$openedOf(key).set(this.stateNow(key));
  }

  /** Listens to a channel's messages and joins while the session is started (channels only). */
  #follow(key: ConversationKey): void {
    const channel = this.#session.channelOf(key);
    if (!channel || !this.#session.active || this.#followed.has(key)) return;
    const onMessage = (message: RtmMessage, memberId: string, props: ChannelMessageProps) => {
      this.#receiver.receive(key, message, { ...props, from: memberId }, true);
    };
    const onJoined = (memberId: string) => this.#session.readers.joined(key, memberId);
    channel.on('ChannelMessage', onMessage).on('MemberJoined', onJoined);
    this.#followed.set(key, () => channel.off('ChannelMessage', onMessage).off('MemberJoined', onJoined));
  }

  /** Leaves a channel for good: no more events, off the list. */
  leave(key: ConversationKey): Promise<void> {
    const channel = this.#session.channelOf(key);
    if (!channel) {
      const why = `${JSON.stringify(key)} is not a channel, or the session never started.`;
      return Promise.reject(new RtmError('INVALID_ARGUMENT', why));
    }
    this.#followed.get(key)?.();
    this.#followed.delete(key);
    this.#session.list.remove(key);
    return channel.leave();
  }

  /** Loads the conversation list from the server; follows (and joins) its channels. */
  async #loadConversations(): Promise<void> {
    const session = this.#session;
    const client = session.client;
    if (!client) return;
    try {
      const { conversations } = await client.getConversations();
      if (!session.active || client !== session.client) return;
      session.list.load(
        conversations.map(({ kind, id, lastMessage, lastSeq, readSeq, unread, peerReadSeq, peerDeliveredSeq, mentioned }) => {
          const key = conversationKey(kind, id);
          return {
            key,
            lastMessage: lastMessage && historyChatMessage(key, lastMessage, session.userId),
            lastSeq,
            readSeq,
            unread,
            peerReadSeq,
            peerDeliveredSeq,
            mentioned,
          };
        }),
        (key) => session.existing(key)?.last,
      );
      session.listLoaded = true;
      for (const key of session.mounted.keys()) if (!session.$openedOf(key).get()) this.#opened(key);
      for (const { key, kind } of session.list.$list.get()) {
        if (kind !== 'channel') continue;
        this.#follow(key);
        session
          .channelOf(key)
          ?.join()
          .catch((error: unknown) => session.reportBackground(error, key));
      }
    } catch (error) {
      if (client === session.client) session.reportBackground(error);
    }
  }

  /** The page of history before the oldest message shown (see ChatSession.loadOlder). */
  loadOlder(key: ConversationKey): Promise<boolean> {
    const session = this.#session;
    const mounted = session.mounted.get(key);
    const client = session.client;
    const target = targetOf(key);
    if (!mounted || !client || !target || mounted.reachedStart) return Promise.resolve(false);
    if (mounted.older) return mounted.older;
    const conversation = session.conversation(key);
    const beforeSeq = conversation.minSeq;
    if (beforeSeq === 1) {
      mounted.reachedStart = true;
      return Promise.resolve(false);
    }
    const older = (async () => {
      try {
        const page = await client.getHistory(beforeSeq > 0 ? { ...target, beforeSeq } : target);
        if (session.mounted.get(key) !== mounted) return false;
        conversation.upsert(...page.messages.map((received) => historyChatMessage(key, received, session.userId)));
        if (!page.hasMore) mounted.reachedStart = true;
        return page.hasMore;
      } catch (error) {
        session.reportBackground(error, key);
        return true;
      } finally {
        mounted.older = undefined;
      }
    })();
    mounted.older = older;
    return older;
  }

  /**
   * Brings a mounted conversation up to date: joins a channel, then loads the newest history page
   * the first time, or catches up after the newest message it has (after a reconnect).
   */
  async #load(key: ConversationKey): Promise<void> {
    const session = this.#session;
    const mounted = session.mounted.get(key);
    const client = session.client;
    const target = targetOf(key);
    if (!mounted || !client || !target) return;
    const stale = () => session.mounted.get(key) !== mounted;
    const chatsOf = (messages: ReceivedMessage[]) => messages.map((received) => historyChatMessage(key, received, session.userId));
    const conversation = session.conversation(key);
    try {
      if (target.channelId !== undefined) {
        await client.createChannel(target.channelId).join();
        // A member now: listed even before anyone writes.
        if (session.active) session.list.ensure(key);
      }
      if (stale()) return;
      if (!mounted.loaded) {
        const page = await client.getHistory(target);
        // Asked for at once, applied after the cache so it reconciles with what the cache showed.
        await mounted.cached;
        if (stale()) return;
        const chats = chatsOf(page.messages);
        const known = conversation.maxSeq;
        // A page that does not reach back to what was here would leave a hole: start from it.
        if (page.hasMore && known > 0 && chats.length > 0 && chats[0]!.seq! > known + 1) conversation.reset(chats);
        else conversation.upsert(...chats);
        mounted.loaded = true;
        session.list.touch(conversation);
        // Cached messages older than the page may have changed since they were cached.
        await this.#changes.catchUp(client, key, page.changeSeq);
        return;
      }
      let afterSeq = conversation.maxSeq;
      for (;;) {
        const page = await client.syncMessages({ ...target, afterSeq });
        if (stale()) return;
        const chats = chatsOf(page.messages);
        if (page.reset) conversation.reset(chats);
        else conversation.upsert(...chats);
        session.list.touch(conversation, chats);
        const last = chats.at(-1)?.seq ?? afterSeq;
        if (page.reset || !page.hasMore || last <= afterSeq) break;
        afterSeq = last;
      }
      // Edits, retractions, reactions and deletions made while this session was away.
      if (!stale()) await this.#changes.catchUp(client, key);
    } catch (error) {
      if (!stale()) session.reportBackground(error, key);
    }
  }
}
