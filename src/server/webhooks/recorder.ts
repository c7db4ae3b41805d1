import type { FastifyBaseLogger } from 'fastify';
import type { WebhookConfig, WebhookEventType } from '../config.js';
import type { StoreResult, UserConversation, WebhookStore } from '../storage/types.js';
import type { StoredMessage } from '../../protocol/index.js';
import { newEventId, type WebhookEvent, type WebhookEventData } from './events.js';

/**
 * What the gateway and the REST API tell the webhooks about, right after the write that caused it
 * (the write is committed; the event goes into the outbox in the next commit, and is POSTed later by
 * the dispatcher). Calls never throw and never wait for a receiver: a failure to record is logged,
 * the message or membership it is about stands. Apps without a webhook (or not subscribed to the
 * type) cost a map lookup.
 */
export interface WebhookEvents {
  /**
   * A message was stored. A resend of a stored message (`duplicate`) records nothing new: the
   * event of a message is recorded once, keyed by its id.
   */
  messageSent(appId: string, source: 'sdk' | 'rest', result: StoreResult): Promise<void>;
  /** A message was edited (`message` as it is now). Recorded once per change number. */
  messageEdited(appId: string, source: 'sdk' | 'rest', message: StoredMessage): Promise<void>;
  /** A message was retracted; also takes its content out of events recorded before. */
  messageRetracted(appId: string, source: 'sdk' | 'rest', message: StoredMessage): Promise<void>;
  /** `change.uid` added or removed a reaction (`message` as it is now), from the SDK or the REST API. */
  reactionChanged(appId: string, source: 'sdk' | 'rest', message: StoredMessage, change: { uid: string; emoji: string; added: boolean }): Promise<void>;
  /** `uid` became a persistent member of `channel`. */
  memberJoined(appId: string, channel: string, uid: string): Promise<void>;
  /** `uid` stopped being a persistent member of `channel`. */
  memberLeft(appId: string, channel: string, uid: string): Promise<void>;
  /** `uid`'s read marker of `conversation` moved up to `readSeq`. */
  readMoved(appId: string, uid: string, conversation: UserConversation, readSeq: number): Promise<void>;
}

export interface WebhookRecorderOptions {
  store: WebhookStore;
  /** Webhook per app id (from the config file). */
  targets: ReadonlyMap<string, WebhookConfig>;
  now: () => number;
  log: FastifyBaseLogger;
  /** Called after an event was added to the outbox (wakes the dispatcher). */
  onRecorded: (appId: string) => void;
}

function kindOf(message: StoredMessage): 'peer' | 'channel' {
  return message.channel !== undefined ? 'channel' : 'peer';
}

export class WebhookRecorder implements WebhookEvents {
  readonly #options: WebhookRecorderOptions;

  constructor(options: WebhookRecorderOptions) {
    this.#options = options;
  }

  async messageSent(appId: string, source: 'sdk' | 'rest', result: StoreResult): Promise<void> {
    const { message, ack } = result;
    const data: WebhookEventData['message.sent'] =
      message.to !== undefined
        ? { source, kind: 'peer', message, peerReceived: ack.peerReceived, storedOffline: ack.storedOffline }
        : { source, kind: 'channel', message };
    // Keyed by message id: a resend after a lost ack (or a crash before this ran) records it once.
    await this.#record(appId, 'message.sent', message.ts, data, `message.sent:${message.id}`);
  }

  async messageEdited(appId: string, source: 'sdk' | 'rest', message: StoredMessage): Promise<void> {
    const data = { source, kind: kindOf(message), message };
    await this.#record(appId, 'message.edited', message.editedAt ?? this.#options.now(), data, `message.edited:${message.id}:${message.changeSeq ?? 0}`);
  }

  async messageRetracted(appId: string, source: 'sdk' | 'rest', message: StoredMessage): Promise<void> {
    const { store, log } = this.#options;
    // Whether or not this app subscribes to retractions, what it was sent before loses the content.
    try {
      await store.redactMessage(appId, message.id, message);
    } catch (err) {
      log.error({ err, appId, messageId: message.id }, 'could not take a retracted message out of the webhook outbox');
    }
    const data = { source, kind: kindOf(message), message };
    await this.#record(appId, 'message.retracted', message.retractedAt ?? this.#options.now(), data, `message.retracted:${message.id}`);
  }

  async reactionChanged(
    appId: string,
    source: 'sdk' | 'rest',
    message: StoredMessage,
    change: { uid: string; emoji: string; added: boolean },
  ): Promise<void> {
    // Field by field: the caller's change may be a push's `{ kind: 'reaction', … }`, whose `kind`
    // must not replace the conversation kind.
    const { uid, emoji, added } = change;
    const data: WebhookEventData['reaction.changed'] = {
      source,
      kind: kindOf(message),
      messageId: message.id,
      from: message.from,
      ...(message.to !== undefined && { to: message.to }),
      ...(message.channel !== undefined && { channel: message.channel }),
      uid,
      emoji,
      added,
      reactions: message.reactions ?? [],
    };
    const key = `reaction.changed:${message.id}:${message.changeSeq ?? 0}`;
    await this.#record(appId, 'reaction.changed', this.#options.now(), data, key);
  }

  async memberJoined(appId: string, channel: string, uid: string): Promise<void> {
    await this.#record(appId, 'channel.member_joined', this.#options.now(), { channel, uid });
  }

  async memberLeft(appId: string, channel: string, uid: string): Promise<void> {
    await this.#record(appId, 'channel.member_left', this.#options.now(), { channel, uid });
  }

  async readMoved(appId: string, uid: string, conversation: UserConversation, readSeq: number): Promise<void> {
    const data: WebhookEventData['read.moved'] =
      conversation.kind === 'peer'
        ? { uid, kind: 'peer', peer: conversation.target, readSeq }
        : { uid, kind: 'channel', channel: conversation.target, readSeq };
    // A marker only moves up, so (user, conversation, seq) happens once.
    await this.#record(appId, 'read.moved', this.#options.now(), data, `read.moved:${uid}/${conversation.conv}/${readSeq}`);
  }

  async #record<T extends WebhookEventType>(
    appId: string,
    type: T,
    occurredAt: number,
    data: WebhookEventData[T],
    dedupeKey?: string,
  ): Promise<void> {
    const { store, targets, now, log, onRecorded } = this.#options;
    if (!targets.get(appId)?.events.includes(type)) return;
    const event: WebhookEvent<T> = { id: newEventId(), type, appId, occurredAt, data };
    try {
      const added = await store.enqueue({
        id: event.id,
        appId,
        type,
        payload: JSON.stringify(event),
        ...(dedupeKey !== undefined && { dedupeKey }),
        createdAt: now(),
      });
      if (added) onRecorded(appId);
    } catch (err) {
      log.error({ err, appId, type }, 'could not record a webhook event');
    }
  }
}
