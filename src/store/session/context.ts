import { atom, computed, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import { ConnectionState, type RtmChannel, type RtmClient } from '../../client/index.js';
import { checkChannelName } from '../../protocol/index.js';
import type { ChatSessionOptions } from '../chat-session.js';
import { ConversationMessages } from '../conversation.js';
import { ConversationList, type ConversationSummary } from '../conversation-list.js';
import { asRtmError, lostConnection } from '../errors.js';
import { StoreEvents, type ConnectionSnapshot } from '../events.js';
import type { OpenedState } from '../first-unread.js';
import { parseConversationKey, type ConversationKey } from '../keys.js';
import { PresenceState } from '../live/presence.js';
import { InvitationsState } from '../live/invitations.js';
import { ProfilesState } from '../live/profiles.js';
import { ReadersState } from '../live/readers.js';
import { TypingState } from '../live/typing.js';
import { Persistence, databaseName } from '../persistence/persistence.js';

/** A conversation while something shows it (its messages atom is mounted). */
export interface MountedConversation {
  /** The history page before the oldest message, while it loads. */
  older?: Promise<boolean>;
  /** Set once a page came back with nothing older. */
  reachedStart?: boolean;
  /** Whether the history page was loaded; from then on reconnects catch up with syncMessages. */
  loaded: boolean;
  /** Settles once the cached messages are shown: the server's answers merge into them after. */
  cached?: Promise<void>;
}

/**
 * What the session's feature modules share: the session's stores, its client and whether it is
 * started, the conversations and which of them are shown, and one way to report errors. Each
 * module (lifecycle, token renewal, sync, receive, sending, uploads, downloads) gets this object
 * and nothing else of the others' state, so what crosses between them is all in one place.
 */
export class SessionContext {
  readonly userId: string;
  readonly options: ChatSessionOptions;
  readonly $connection = atom<ConnectionSnapshot>({ state: 'IDLE' });
  readonly events = new StoreEvents();
  readonly list = new ConversationList((total) => this.events.emit({ type: 'unread', total }));
  /** IndexedDB: the stored messages and the offline outbox. */
  readonly cache: Persistence;
  readonly typing = new TypingState();
  readonly presence = new PresenceState(this);
  readonly profiles = new ProfilesState(this);
  readonly invitations = new InvitationsState(this);
  readonly readers = new ReadersState(this);
  /** The transport client, created by the first start(). */
  client: RtmClient | undefined;
  /** Whether the session is started (listeners attached); false before start and after stop. */
  active = false;
  /** Whether $conversations came from the server at least once. */
  listLoaded = false;
  /** The shown conversations. */
  readonly mounted = new Map<ConversationKey, MountedConversation>();
  /**
   * What showing a conversation starts; returns what hiding it does. Set by the sync module, which
   * owns loading.
   */
  onShow: (key: ConversationKey) => () => void = () => () => {};
  readonly #conversations = new Map<ConversationKey, ConversationMessages>();
  /** Per conversation: how it looked when opened (for the "New" divider), once known. */
  readonly #opened = new Map<ConversationKey, WritableAtom<OpenedState | undefined>>();
  readonly #summaries = new Map<ConversationKey, ReadableAtom<ConversationSummary | undefined>>();

  constructor(options: ChatSessionOptions) {
    this.options = options;
    this.userId = options.userId;
    this.cache = new Persistence(() => databaseName(options.server, options.appId, options.userId));
  }

  /** The messages of a conversation, created on first use; mounting them shows the conversation. */
  conversation(key: ConversationKey): ConversationMessages {
    let conversation = this.#conversations.get(key);
    if (!conversation) {
      conversation = new ConversationMessages(key, (message) => this.cache.save(message));
      this.#conversations.set(key, conversation);
      onMount(conversation.$messages, () => this.onShow(key));
    }
    return conversation;
  }

  /** The messages of a conversation when it has been used, without creating it. */
  existing(key: ConversationKey): ConversationMessages | undefined {
    return this.#conversations.get(key);
  }

  /** The entry of `key` in the conversation list, as a store that changes only with that entry. */
  $summaryOf(key: ConversationKey): ReadableAtom<ConversationSummary | undefined> {
    let $summary = this.#summaries.get(key);
    if (!$summary) this.#summaries.set(key, ($summary = computed(this.list.$list, () => this.list.get(key))));
    return $summary;
  }

  /** How the conversation looked when opened; undefined until the list was loaded while shown. */
  $openedOf(key: ConversationKey): WritableAtom<OpenedState | undefined> {
    let $opened = this.#opened.get(key);
    if (!$opened) this.#opened.set(key, ($opened = atom<OpenedState | undefined>(undefined)));
    return $opened;
  }

  /** The client while the session is started and the client has not given up, else undefined. */
  liveClient(): RtmClient | undefined {
    const state = this.active ? this.client?.connectionState : undefined;
    return state === ConnectionState.DISCONNECTED || state === ConnectionState.ABORTED ? undefined : this.client;
  }

  /** Whether the connection is up now. */
  connected(): boolean {
    return this.active && this.client?.connectionState === ConnectionState.CONNECTED;
  }

  /** The channel object of a channel key (undefined for peers, bad names, or no client yet). */
  channelOf(key: ConversationKey): RtmChannel | undefined {
    const parsed = parseConversationKey(key);
    if (!this.client || parsed?.kind !== 'channel' || checkChannelName(parsed.id)) return undefined;
    return this.client.createChannel(parsed.id);
  }

  /** Tells the views (an `error` event), about a conversation when `key` is given. */
  report(error: unknown, key?: ConversationKey): void {
    const rtmError = asRtmError(error, 'INTERNAL_ERROR');
    this.events.emit(key ? { type: 'error', error: rtmError, conversation: key } : { type: 'error', error: rtmError });
  }

  /**
   * Reports what failed in the background (loads, joins), unless the session stopped or the
   * connection only dropped: the reconnect that follows loads again.
   */
  reportBackground(error: unknown, key?: ConversationKey): void {
    if (this.active && !lostConnection(error)) this.report(error, key);
  }
}
