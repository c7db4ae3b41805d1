import { RtmError } from './errors.js';
import {
  MAX_ATTRIBUTE_KEY_BYTES,
  MAX_ATTRIBUTE_VALUE_BYTES,
  MAX_CHANNEL_ATTRIBUTES,
  MAX_CHANNEL_ATTRIBUTES_BYTES,
  MAX_USER_ATTRIBUTES,
  MAX_USER_ATTRIBUTES_BYTES,
} from './limits.js';
import { describeTextProblem, utf8ByteLength } from './messages.js';

/**
 * User and channel attributes (Agora RTM 1.x): string key-value pairs a user keeps on itself
 * (a display name, an avatar) or the members of a channel keep on it (a topic, a pinned message).
 * The checks here run in the client before a request and in the server before a write, so a
 * refused write changes nothing.
 */

/**
 * The user attributes the widget reads as a user's display name and avatar URL (and writes for
 * the signed-in user from `<rtm-chat display-name avatar>`). Any client may set them with
 * `addOrUpdateLocalUserAttributes`.
 */
export const PROFILE_ATTRIBUTES = Object.freeze({ name: 'displayName', avatar: 'avatarUrl' } as const);

/** Attribute keys to string values (Agora's `AttributesMap`). */
export type AttributesMap = Record<string, string>;

/** One channel attribute with who set it last and when (Agora's `ChannelAttributeProperties`). */
export interface ChannelAttribute {
  value: string;
  lastUpdateUserId: string;
  /** ms since the epoch (server clock). */
  lastUpdateTs: number;
}

/** A channel's attributes by key (Agora's `ChannelAttributes`). */
export type ChannelAttributes = Record<string, ChannelAttribute>;

/**
 * How a write changes an owner's attributes: `set` replaces them all, `update` adds or replaces
 * the keys given (Agora's addOrUpdate…), `delete` removes keys, `clear` removes every one.
 */
export type AttributeWrite =
  | { op: 'set' | 'update'; attributes: AttributesMap }
  | { op: 'delete'; keys: string[] }
  | { op: 'clear' };

export type AttributeOwner = 'user' | 'channel';

/** The limits of one kind of owner. */
export const ATTRIBUTE_LIMITS: Readonly<Record<AttributeOwner, { count: number; bytes: number }>> = {
  user: { count: MAX_USER_ATTRIBUTES, bytes: MAX_USER_ATTRIBUTES_BYTES },
  channel: { count: MAX_CHANNEL_ATTRIBUTES, bytes: MAX_CHANNEL_ATTRIBUTES_BYTES },
};

// Printable ASCII without the space: what Agora calls "visible characters".
const KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_ATTRIBUTE_KEY_BYTES}}$`);

/** The error for an attribute key, or undefined when it is valid. */
export function checkAttributeKey(key: unknown): RtmError | undefined {
  if (typeof key === 'string' && KEY.test(key)) return undefined;
  const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 40)) : String(key);
  return new RtmError(
    'INVALID_ATTRIBUTE_KEY',
    `Attribute key ${shown} must be 1–${MAX_ATTRIBUTE_KEY_BYTES} visible ASCII characters (no spaces).`,
  );
}

/** The error for the value of `key`, or undefined when it is valid. */
export function checkAttributeValue(key: string, value: unknown): RtmError | undefined {
  if (typeof value !== 'string') return new RtmError('INVALID_ATTRIBUTE_VALUE', `Attribute "${key}" must have a string value.`);
  if (value.length === 0) return new RtmError('INVALID_ATTRIBUTE_VALUE', `Attribute "${key}" must not be empty; delete it instead.`);
  const problem = describeTextProblem(value);
  if (problem) return new RtmError('INVALID_ATTRIBUTE_VALUE', `Attribute "${key}" ${problem}.`);
  const size = utf8ByteLength(value);
  if (size > MAX_ATTRIBUTE_VALUE_BYTES) {
    return new RtmError('INVALID_ATTRIBUTE_VALUE', `Attribute "${key}" is ${size} bytes; a value may be at most ${MAX_ATTRIBUTE_VALUE_BYTES}.`);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates an untrusted attributes map (keys and values); throws an RtmError. */
export function parseAttributesMap(value: unknown, what = '"attributes"'): AttributesMap {
  if (!isRecord(value)) throw new RtmError('INVALID_FIELD', `${what} must be an object of attribute keys to string values.`);
  const entries = Object.entries(value);
  for (const [key, item] of entries) {
    const invalid = checkAttributeKey(key) ?? checkAttributeValue(key, item);
    if (invalid) throw invalid;
  }
  // fromEntries defines own properties, so a key like "__proto__" stays a key.
  return Object.fromEntries(entries) as AttributesMap;
}

/** Validates an untrusted list of attribute keys (1 or more, each valid, none twice); throws an RtmError. */
export function parseAttributeKeys(value: unknown, what = '"keys"'): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new RtmError('INVALID_FIELD', `${what} must be a non-empty array of attribute keys.`);
  for (const key of value) {
    const invalid = checkAttributeKey(key);
    if (invalid) throw invalid;
  }
  if (new Set(value).size !== value.length) throw new RtmError('INVALID_ATTRIBUTE_KEY', `${what} names a key twice.`);
  return value as string[];
}

/** Validates an untrusted write (as a frame carries it); throws an RtmError. */
export function parseAttributeWrite(frame: Record<string, unknown>): AttributeWrite {
  switch (frame.op) {
    case 'set':
    case 'update':
      return { op: frame.op, attributes: parseAttributesMap(frame.attributes) };
    case 'delete':
      return { op: 'delete', keys: parseAttributeKeys(frame.keys) };
    case 'clear':
      return { op: 'clear' };
    default:
      throw new RtmError('INVALID_FIELD', '"op" must be "set", "update", "delete" or "clear".');
  }
}

/** The size a limit counts: the UTF-8 bytes of every key and value. */
export function attributesByteSize(entries: Iterable<[string, string]>): number {
  let size = 0;
  for (const [key, value] of entries) size += key.length + utf8ByteLength(value);
  return size;
}

/**
 * Applies `write` to an owner's current attributes (key → value, in the order they were first
 * set). Returns the new map, or throws TOO_MANY_ATTRIBUTES / ATTRIBUTES_TOO_LARGE when the result
 * would be over the owner's limits; `current` is never changed.
 */
export function applyAttributeWrite(owner: AttributeOwner, current: ReadonlyMap<string, string>, write: AttributeWrite): Map<string, string> {
  const next = write.op === 'update' || write.op === 'delete' ? new Map(current) : new Map<string, string>();
  if (write.op === 'set' || write.op === 'update') {
    for (const [key, value] of Object.entries(write.attributes)) next.set(key, value);
  } else if (write.op === 'delete') {
    for (const key of write.keys) next.delete(key);
  }
  const limits = ATTRIBUTE_LIMITS[owner];
  const whose = owner === 'user' ? 'A user' : 'A channel';
  if (next.size > limits.count) {
    throw new RtmError('TOO_MANY_ATTRIBUTES', `${whose} may have at most ${limits.count} attributes; this write would leave ${next.size}. Nothing was changed.`);
  }
  const size = attributesByteSize(next);
  if (size > limits.bytes) {
    throw new RtmError(
      'ATTRIBUTES_TOO_LARGE',
      `${whose}'s attributes may be at most ${limits.bytes} bytes together (keys and values); this write would make them ${size}. Nothing was changed.`,
    );
  }
  return next;
}

/**
 * The checks a write's own content must pass whatever the owner holds now: what a client runs
 * before sending (the server repeats it against the stored attributes).
 */
export function checkAttributeWrite(owner: AttributeOwner, write: AttributeWrite): void {
  if (write.op === 'set' || write.op === 'update') applyAttributeWrite(owner, new Map(), write);
}
