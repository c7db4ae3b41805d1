import { randomBytes } from 'node:crypto';
import type { StoredMessage } from '../../protocol/index.js';
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
