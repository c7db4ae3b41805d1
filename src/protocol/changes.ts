import { RtmError } from './errors.js';
import { MAX_CLIENT_MESSAGE_ID_LENGTH } from './limits.js';
import type { StoredMessage } from './messages.js';

/**
 * Messages that change after they were sent: retracted, edited, reacted to, deleted for one user.
 * Every change gets the next number of its conversation's change sequence (`changeSeq`), so a
 * client that was away asks for "changes after N" and gets each changed message once, in its
 * current state.
 */

/** One emoji reaction on a message: who reacted with it (the first REACTION_USERS_LISTED) and how many. */
export interface ReactionSummary {
  emoji: string;
  count: number;
  /** User ids, in the order they reacted; at most REACTION_USERS_LISTED even when `count` is higher. */
  uids: string[];
}

/**
 * A change to one message, as `changes` returns it: the message in its current state, or, when the
 * caller deleted it for themself, only which message to drop.
 */
export type MessageChange =
  | { changeSeq: number; message: StoredMessage }
  | { changeSeq: number; deleted: { id: string; seq: number } };

const MESSAGE_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CLIENT_MESSAGE_ID_LENGTH}}$`);

/**
 * The error for a value that cannot be a server message id, or undefined when it could be one.
 * `what` names the value in the message (a frame field, or a REST URL segment).
 */
export function checkMessageId(value: unknown, what = '"messageId"'): RtmError | undefined {
  if (typeof value === 'string' && MESSAGE_ID.test(value)) return undefined;
  return new RtmError('INVALID_FIELD', `${what} must be a server message id (the \`messageId\` of an ack or a message).`);
}

let oneEmoji: RegExp | undefined;

/**
 * One RGI emoji (what keyboards and pickers produce: 👍, 👍🏽, 👨‍👩‍👧, 🇫🇷, 1️⃣): the `v` flag's
 * `\p{RGI_Emoji}` matches exactly the standard sequences. A runtime without it (Safari before 17)
 * only refuses an empty value or one with spaces — the server, which has it, decides.
 */
function emojiPattern(): RegExp {
  if (!oneEmoji) {
    try {
      oneEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
    } catch {
      oneEmoji = /^\S+$/u;
    }
  }
  return oneEmoji;
}

/**
 * Returns `value` when it is exactly one emoji, in its standard form (a text-style symbol like
 * "❤" without its emoji selector becomes "❤️", so both count as one reaction); throws
 * INVALID_REACTION otherwise.
 */
export function parseReaction(value: unknown): string {
  if (typeof value === 'string' && value.length <= 64) {
    const pattern = emojiPattern();
    if (pattern.test(value)) return value;
    if (pattern.test(`${value}\uFE0F`)) return `${value}\uFE0F`;
  }
  throw new RtmError('INVALID_REACTION', 'A reaction must be exactly one emoji, like "👍".');
}
