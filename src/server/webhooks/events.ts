import { randomBytes } from 'node:crypto';
import type { ReactionSummary, StoredMessage } from '../../protocol/index.js';
import type { WebhookEventType } from '../config.js';

/**
 * The JSON body of every webhook request. Stable: fields may be added (ignore unknown ones), none
 * are renamed or removed. Delivery is at least once: dedupe by `id`.
 *
 * @example
 * {
 *   "id": "evt_3q2Yc0bW1nZ6Fh0Q9lT0xg",
 *   "type": "message.sent",
 *   "appId": "shop",
 *   "occurredAt": 1763780000000,
 *   "data": { "source": "sdk", "kind": "peer", "message": { "id": "…", "seq": 4, "ts": 1763780000000,
 *     "from": "alice", "to": "bob", "cmid": "…", "message": { "type": "TEXT", "text": "hi" } },
 *     "peerReceived": true, "storedOffline": false }
 * }
 */
export interface WebhookEvent<T extends WebhookEventType = WebhookEventType> {
  /** `evt_` + 22 base64url characters; the same on every attempt. */
  id: string;
  type: T;
  appId: string;
  /** When it happened on the server, ms since the epoch (a message's `ts`). */
  occurredAt: number;
  data: WebhookEventData[T];
}

/** `data` of each event type. */
export interface WebhookEventData {
  /** A message was stored (peer or channel, sent with the SDK or the REST API). */
  'message.sent': MessageSentData;
  /** The sender (or the backend, `source: 'rest'`) edited a message; `message` has the new text and `editedAt`. */
  'message.edited': MessageChangedData;
  /**
   * A message was retracted; `message` is the placeholder (`{ type: 'RETRACTED' }`, `retractedAt`).
   * Earlier `message.sent` / `message.edited` events of it, delivered or not, have their message
   * replaced by the same placeholder.
   */
  'message.retracted': MessageChangedData;
  /** A user added or removed an emoji reaction; `reactions` is the message's new summary. */
  'reaction.changed': ReactionChangedData;
  /** A user became a persistent member of a channel (`channel.join` when they were not one). */
  'channel.member_joined': ChannelMemberData;
  /** A user stopped being a persistent member (an explicit `channel.leave`; closing a tab is not leaving). */
  'channel.member_left': ChannelMemberData;
  /** A user's read marker of a conversation moved up. */
  'read.moved': ReadMovedData;
}

export type MessageSentData =
  | {
      source: 'sdk' | 'rest';
      kind: 'peer';
      /** As stored and delivered (`to` set). */
      message: StoredMessage;
      /** A connection of the receiver was open when it was stored. */
      peerReceived: boolean;
      /** Kept for the receiver's next login (they had no connection; offline messaging on). */
      storedOffline: boolean;
    }
  | {
      source: 'sdk' | 'rest';
      kind: 'channel';
      /** As stored and delivered (`channel` set). */
      message: StoredMessage;
    };

export interface MessageChangedData {
  source: 'sdk' | 'rest';
  kind: 'peer' | 'channel';
  message: StoredMessage;
}

export interface ReactionChangedData {
  /** `"rest"`: your backend reacted on the user's behalf (the REST API); `"sdk"`: the user's client. */
  source: 'sdk' | 'rest';
  kind: 'peer' | 'channel';
  messageId: string;
  /** The message's sender; with `to` (a peer message) or `channel`, its conversation. */
  from: string;
  to?: string;
  channel?: string;
  uid: string;
  emoji: string;
  added: boolean;
  reactions: ReactionSummary[];
}

export interface ChannelMemberData {
  channel: string;
  uid: string;
}

export type ReadMovedData =
  | { uid: string; kind: 'peer'; peer: string; readSeq: number }
  | { uid: string; kind: 'channel'; channel: string; readSeq: number };

/** A new event id. */
export function newEventId(): string {
  return `evt_${randomBytes(16).toString('base64url')}`;
}
