import { parseReaction } from './changes.js';
import { RtmError } from './errors.js';
import { checkUserId } from './ids.js';
import { MAX_HISTORY_PAGE } from './limits.js';
import type { StoredMessage, WireTextMessage } from './messages.js';
import { restTextMessage } from './rest.js';
import { refuseUnknownFields, requiredPayload, requireObject } from './rest-fields.js';

/**
 * The REST routes this server adds to Agora's message API (docs/rest-api.md): changing a message
 * from a backend, and reading one user's view of a conversation.
 *
 * - `POST /dev/v2/project/<appid>/rtm/messages/<message_id>/retract`
 * - `POST /dev/v2/project/<appid>/rtm/messages/<message_id>/edit`
 * - `POST /dev/v2/project/<appid>/rtm/messages/<message_id>/reactions/add` and `…/reactions/remove`
 * - `POST /dev/v2/project/<appid>/rtm/messages/<message_id>/delete_for_user`
 * - `GET /dev/v2/project/<appid>/rtm/users/<user_id>/peer_messages/<peer_id>?limit=&before_seq=`
 * - `GET /dev/v2/project/<appid>/rtm/users/<user_id>/channel_messages/<channel_name>?limit=&before_seq=`
 */

/** What became of the message (the `code` of a 200 from `retract`, `edit` and the reaction routes). */
export type RestChangeCode = 'message_retracted' | 'message_edited' | 'reaction_added' | 'reaction_removed';

/**
 * A 200 from `retract`, `edit`, `reactions/add` or `reactions/remove`: the seed's three fields and
 * the message as it is now.
 */
export interface RestMessageChangeBody {
  result: 'success';
  request_id: string;
  code: RestChangeCode;
  /** As history returns it: for a retraction the `{ type: 'RETRACTED' }` placeholder. */
  message: StoredMessage;
}

/**
 * A 200 from `delete_for_user`: the seed's three fields only. The message is gone for that user;
 * everyone else's copy is unchanged, so there is no "message as it is now" to answer with.
 */
export interface RestDeleteForUserBody {
  result: 'success';
  request_id: string;
  code: 'message_deleted';
}

/** A 200 from a history query. */
export interface RestHistoryBody {
  result: 'success';
  request_id: string;
  code: 'ok';
  /** Newest first, in their current state (edits, retractions, reactions). */
  messages: StoredMessage[];
  /** Older messages exist: ask again with `before_seq` = the `seq` of the last message. */
  has_more: boolean;
}

const EDIT_FIELDS = ['payload'] as const;

/**
 * Validates an edit body `{ "payload": "<new text>" }`: the new text, under the rules of a sent
 * payload (non-empty, well-formed, at most 32 KB as a TEXT message). Throws an RtmError naming the
 * first problem.
 */
export function parseRestEdit(body: unknown): WireTextMessage {
  const record = requireObject(body, '{"payload":"the new text"}');
  refuseUnknownFields(record, EDIT_FIELDS);
  return restTextMessage(requiredPayload(record));
}

/** A retraction needs no body; one that is sent must be `{}` (a field there was meant for something). */
export function parseRestRetract(body: unknown): void {
  if (body === undefined) return;
  const record = requireObject(body, '{}');
  const [field] = Object.keys(record);
  if (field !== undefined) {
    throw new RtmError('INVALID_FIELD', `Unknown field ${JSON.stringify(field)}: a retraction takes no fields; send no body, or {}.`);
  }
}

const REACTION_FIELDS = ['user_id', 'emoji'] as const;
const DELETE_FIELDS = ['user_id'] as const;

/** A reaction added or removed on behalf of `userId` (the body's `user_id`). */
export interface RestReaction {
  userId: string;
  /** Exactly one RGI emoji, in its standard form (see {@link parseReaction}). */
  emoji: string;
}

/**
 * `user_id`: who acts. Required even with token auth (where it must be the token's user), so one
 * body works with either credential and a backend never acts as someone by omission.
 */
function requiredUserId(record: Record<string, unknown>, what: string): string {
  if (record.user_id === undefined) throw new RtmError('INVALID_FIELD', `Missing "user_id": the user ${what}.`);
  const invalid = checkUserId(record.user_id, '"user_id"');
  if (invalid) throw invalid;
  return record.user_id as string;
}

/**
 * Validates a reaction body `{ "user_id": "userD", "emoji": "👍" }`: a valid user id, and exactly one
 * emoji under the gateway's rule (INVALID_REACTION otherwise; a missing `emoji` is INVALID_FIELD,
 * like any missing field). Throws an RtmError naming the first problem.
 */
export function parseRestReaction(body: unknown): RestReaction {
  const record = requireObject(body, '{"user_id":"userD","emoji":"👍"}');
  refuseUnknownFields(record, REACTION_FIELDS);
  const userId = requiredUserId(record, 'who reacts');
  if (record.emoji === undefined) throw new RtmError('INVALID_FIELD', 'Missing "emoji": the reaction, exactly one emoji like "👍".');
  return { userId, emoji: parseReaction(record.emoji) };
}

/** Validates a delete-for-user body `{ "user_id": "userA" }`; returns the user id. */
export function parseRestDeleteForUser(body: unknown): string {
  const record = requireObject(body, '{"user_id":"userA"}');
  refuseUnknownFields(record, DELETE_FIELDS);
  return requiredUserId(record, 'for whom the message is deleted');
}

export interface RestHistoryQuery {
  /** 1 … MAX_HISTORY_PAGE; MAX_HISTORY_PAGE when absent. */
  limit: number;
  /** Only messages with a smaller `seq` (paging back). */
  beforeSeq?: number;
}

const HISTORY_PARAMETERS = ['limit', 'before_seq'] as const;

/** A query parameter that must be a whole number ≥ 1, given once; undefined when absent. */
function positiveInteger(query: Record<string, unknown>, key: string): number | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) {
    throw new RtmError('INVALID_ARGUMENT', `Query parameter ${key} must be a whole number ≥ 1 (given once), got ${JSON.stringify(value)}.`);
  }
  return number;
}

/**
 * The history query parameters. Unknown ones are refused like unknown body fields: a misspelt
 * `beforeSeq` would otherwise answer the newest page again, and a pager would loop.
 */
export function parseRestHistoryQuery(query: Record<string, unknown>): RestHistoryQuery {
  const unknown = Object.keys(query).find((key) => !(HISTORY_PARAMETERS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw new RtmError(
      'INVALID_ARGUMENT',
      `Unknown query parameter ${JSON.stringify(unknown)}; the parameters are ${HISTORY_PARAMETERS.map((k) => `"${k}"`).join(', ')} (case-sensitive).`,
    );
  }
  const limit = positiveInteger(query, 'limit') ?? MAX_HISTORY_PAGE;
  if (limit > MAX_HISTORY_PAGE) {
    throw new RtmError('INVALID_ARGUMENT', `Query parameter limit must be from 1 to ${MAX_HISTORY_PAGE}, got ${limit}.`);
  }
  const beforeSeq = positiveInteger(query, 'before_seq');
  return beforeSeq === undefined ? { limit } : { limit, beforeSeq };
}
