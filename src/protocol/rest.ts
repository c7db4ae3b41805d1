import { RtmError, type ErrorReason } from './errors.js';
import { checkChannelName, checkUserId } from './ids.js';
import { checkMessageSize, describeTextProblem, type WireTextMessage } from './messages.js';
import { optionalBoolean, refuseUnknownFields, requiredPayload, requireObject } from './rest-fields.js';

/**
 * Agora RTM's RESTful message API, wire-compatible: request bodies, response bodies and their
 * validation. The routes are documented in docs/rest-api.md.
 *
 * - `POST /dev/v2/project/<appid>/rtm/users/<user_id>/peer_messages?wait_for_ack=true|false`
 * - `POST /dev/v2/project/<appid>/rtm/users/<user_id>/channel_messages`
 */

/** Every REST route starts with this, followed by `/<appid>`. */
export const REST_BASE_PATH = '/dev/v2/project';

/**
 * What became of a message (the `code` of Agora's answers): `message_sent` the server has it
 * (and, for a peer message, `wait_for_ack` was false); `message_delivered` the receiver's client
 * confirmed it; `message_offline` the receiver had no connection (kept for them when
 * `enable_offline_messaging`).
 */
export type RestMessageCode = 'message_sent' | 'message_delivered' | 'message_offline';

/** A 200 answer. */
export interface RestSuccessBody {
  result: 'success';
  /** Unique per request; also names the stored message's client message id (`rest-<request_id>`). */
  request_id: string;
  code: RestMessageCode;
}

/**
 * Any other answer (400, 401, 408, 429, 500): the three fields of Agora's answers, with `code`
 * set to the protocol error reason (stable, machine-readable), plus a `message` for the developer.
 */
export interface RestErrorBody {
  result: 'failed';
  request_id: string;
  code: ErrorReason;
  message: string;
}

export type RestResponseBody = RestSuccessBody | RestErrorBody;

/** Body of `POST …/peer_messages`. */
export interface RestPeerMessageRequest {
  /** The receiver's user id. */
  destination: string;
  /** Keep the message for an offline receiver (200 per receiver, 7 days). Default false. */
  enable_offline_messaging: boolean;
  /** Accepted for compatibility; every message is kept in history whatever it says. Default false. */
  enable_historical_messaging: boolean;
  /** The message text: non-empty, at most 32 KB as a message (see {@link restTextMessage}). */
  payload: string;
  /**
   * Our addition: deliver it to the receiver's open connections only and store it nowhere (no
   * history, unread count or offline copy; `seq` 0). Not with `enable_offline_messaging`. Default false.
   */
  transient: boolean;
}

/** Body of `POST …/channel_messages`. */
export interface RestChannelMessageRequest {
  channel_name: string;
  /** Accepted for compatibility; every message is kept in history whatever it says. Default false. */
  enable_historical_messaging: boolean;
  payload: string;
  /** Our addition: deliver it to the joined connections only and store it nowhere. Default false. */
  transient: boolean;
}

const PEER_FIELDS = ['destination', 'enable_offline_messaging', 'enable_historical_messaging', 'payload', 'transient'] as const;
const CHANNEL_FIELDS = ['channel_name', 'enable_historical_messaging', 'payload', 'transient'] as const;

/**
 * The stored form of a REST payload: a TEXT message, under the same rules as one sent from the SDK
 * (non-empty, well-formed Unicode without NUL; at most MAX_MESSAGE_BYTES serialized as
 * `{"type":"TEXT","text":…}`, i.e. 32 743 bytes of plain ASCII text). Throws MESSAGE_EMPTY,
 * INVALID_MESSAGE or MESSAGE_TOO_LARGE.
 */
export function restTextMessage(payload: string): WireTextMessage {
  if (payload.length === 0) throw new RtmError('MESSAGE_EMPTY', '"payload" must not be empty.');
  const problem = describeTextProblem(payload);
  if (problem) throw new RtmError('INVALID_MESSAGE', `"payload" ${problem}.`);
  const message: WireTextMessage = { type: 'TEXT', text: payload };
  checkMessageSize(message);
  return message;
}

/** Validates a peer message body. Throws an RtmError naming the first problem. */
export function parseRestPeerMessage(body: unknown): RestPeerMessageRequest {
  const record = requireObject(body, '{"destination":"userB","payload":"Hello"}');
  refuseUnknownFields(record, PEER_FIELDS);
  if (record.destination === undefined) {
    throw new RtmError('INVALID_FIELD', 'Missing "destination": the user id of the receiver.');
  }
  const invalid = checkUserId(record.destination, '"destination"');
  if (invalid) throw invalid;
  const enableOffline = optionalBoolean(record, 'enable_offline_messaging');
  const enableHistory = optionalBoolean(record, 'enable_historical_messaging');
  const transient = optionalBoolean(record, 'transient');
  if (transient && enableOffline) {
    throw new RtmError(
      'INVALID_FIELD',
      'A "transient" message is stored nowhere, so it cannot be kept offline: drop "enable_offline_messaging" or "transient".',
    );
  }
  const payload = requiredPayload(record);
  restTextMessage(payload);
  return {
    destination: record.destination as string,
    enable_offline_messaging: enableOffline,
    enable_historical_messaging: enableHistory,
    payload,
    transient,
  };
}

/** Validates a channel message body. Throws an RtmError naming the first problem. */
export function parseRestChannelMessage(body: unknown): RestChannelMessageRequest {
  const record = requireObject(body, '{"channel_name":"channelA","payload":"Hello"}');
  refuseUnknownFields(record, CHANNEL_FIELDS);
  if (record.channel_name === undefined) {
    throw new RtmError('INVALID_FIELD', 'Missing "channel_name": the channel to send to.');
  }
  const invalid = checkChannelName(record.channel_name, '"channel_name"');
  if (invalid) throw invalid;
  const enableHistory = optionalBoolean(record, 'enable_historical_messaging');
  const transient = optionalBoolean(record, 'transient');
  const payload = requiredPayload(record);
  restTextMessage(payload);
  return { channel_name: record.channel_name as string, enable_historical_messaging: enableHistory, payload, transient };
}

/** The `wait_for_ack` query parameter: absent means false; otherwise exactly `true` or `false`. */
export function parseWaitForAck(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RtmError(
    'INVALID_ARGUMENT',
    `Query parameter wait_for_ack must be "true" or "false" (lowercase, once), got ${JSON.stringify(value)}.`,
  );
}
