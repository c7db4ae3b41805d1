import { RtmError, type ErrorReason } from './errors.js';
import { MAX_CLIENT_MESSAGE_ID_LENGTH, MAX_ID_LENGTH } from './limits.js';

/**
 * The characters a user id or channel name may use: ASCII letters and digits, space, and
 * `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , '`.
 */
const ID_CHARSET = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,']+$/;

/** App ids: 1–64 characters from `[A-Za-z0-9_-]` (they appear in URLs and config files). */
const APP_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`);

const CLIENT_MESSAGE_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CLIENT_MESSAGE_ID_LENGTH}}$`);

function describeIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${value === null ? 'null' : typeof value}`;
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters, got ${value.length}`;
  if (value.startsWith(' ') || value.endsWith(' ')) return 'must not start or end with a space';
  if (!ID_CHARSET.test(value)) {
    const bad = [...value].find((ch) => !ID_CHARSET.test(ch)) ?? '';
    const shown = bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? '';
    return `contains a character outside the allowed set (U+${shown}); use letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , '`;
  }
  return undefined;
}

function idError(reason: ErrorReason, what: string, value: unknown): RtmError | undefined {
  const problem = describeIdProblem(value);
  return problem ? new RtmError(reason, `${what} ${problem}.`) : undefined;
}

/** The error for an invalid user id, or undefined when it is valid. */
export function checkUserId(value: unknown, what = 'User id'): RtmError | undefined {
  return idError('INVALID_USER_ID', what, value);
}

/** The error for an invalid channel name, or undefined when it is valid. */
export function checkChannelName(value: unknown, what = 'Channel name'): RtmError | undefined {
  return idError('INVALID_CHANNEL_NAME', what, value);
}

/** Whether `value` is a valid user id (length, charset, no leading or trailing space). */
export function isValidUserId(value: unknown): value is string {
  return describeIdProblem(value) === undefined;
}

/** Whether `value` is a valid channel name (same rules as user ids). */
export function isValidChannelName(value: unknown): value is string {
  return describeIdProblem(value) === undefined;
}

/** The error for an invalid client message id, or undefined when it is valid. */
export function checkClientMessageId(value: unknown): RtmError | undefined {
  if (typeof value === 'string' && CLIENT_MESSAGE_ID.test(value)) return undefined;
  return new RtmError(
    'INVALID_CLIENT_MESSAGE_ID',
    `Client message id must be 1–${MAX_CLIENT_MESSAGE_ID_LENGTH} characters from A-Z a-z 0-9 _ -.`,
  );
}

/** Whether `value` is a valid app id: 1–64 characters from `[A-Za-z0-9_-]`. */
export function isValidAppId(value: unknown): value is string {
  return typeof value === 'string' && APP_ID.test(value);
}
