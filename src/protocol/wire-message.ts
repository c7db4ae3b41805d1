import { checkMessageId } from './changes.js';
import { RtmError } from './errors.js';
import { checkUserId } from './ids.js';
import { MAX_ADDRESS_LENGTH, MAX_EXTRAS, MAX_MENTIONS } from './limits.js';
import {
  checkMessageSize,
  describeTextProblem,
  optionalString,
  parseContent,
  requireText,
  type WireCustomMessage,
  type WireLocationMessage,
  type WireMessage,
  type WireMessageFields,
} from './messages.js';

/**
 * The full check of a wire message: every type (LOCATION and CUSTOM besides the basic ones in
 * messages.ts) and the reply, mentions and extras any message may carry. The server runs it on
 * everything it receives; a browser loads it with the first message that needs it
 * ({@link needsFullCheck}), so pages that send text carry only the basic check.
 */

/**
 * Validates an untrusted value as a wire message. Returns the message (with only known fields kept)
 * or throws an {@link RtmError}: INVALID_MESSAGE for an unknown type or wrong field types,
 * MESSAGE_EMPTY for no content, MESSAGE_TOO_LARGE over MAX_MESSAGE_BYTES.
 */
export function parseWireMessage(value: unknown): WireMessage {
  const message = parseContent(value, parseRichContent);
  Object.assign(message, parseMessageFields(value as Record<string, unknown>));
  checkMessageSize(message);
  return message;
}

function parseRichContent(record: Record<string, unknown>): WireMessage | undefined {
  if (record.type === 'LOCATION') return parseLocation(record);
  if (record.type === 'CUSTOM') return parseCustom(record);
  return undefined;
}

const EXTRA_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const CUSTOM_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The reply, mentions and extras of any message (only the fields present). */
export function parseMessageFields(record: Record<string, unknown>): WireMessageFields {
  const fields: WireMessageFields = {};
  if (record.replyTo !== undefined) {
    const invalid = checkMessageId(record.replyTo, '"replyTo"');
    if (invalid) throw new RtmError('INVALID_MESSAGE', invalid.message);
    fields.replyTo = record.replyTo as string;
  }
  if (record.mentions !== undefined) {
    const mentions = record.mentions;
    if (!Array.isArray(mentions) || mentions.length > MAX_MENTIONS) {
      throw new RtmError('INVALID_MESSAGE', `"mentions" must be an array of at most ${MAX_MENTIONS} user ids.`);
    }
    for (const [index, uid] of mentions.entries()) {
      const invalid = checkUserId(uid, `mentions[${index}]`);
      if (invalid) throw new RtmError('INVALID_MESSAGE', invalid.message);
    }
    if (mentions.length > 0) fields.mentions = [...new Set(mentions as string[])];
  }
  if (record.mentionAll !== undefined) {
    if (typeof record.mentionAll !== 'boolean') throw new RtmError('INVALID_MESSAGE', '"mentionAll" must be a boolean.');
    if (record.mentionAll) fields.mentionAll = true;
  }
  if (record.extras !== undefined) {
    const extras = record.extras;
    if (typeof extras !== 'object' || extras === null || Array.isArray(extras)) {
      throw new RtmError('INVALID_MESSAGE', '"extras" must be an object of string keys to strings, numbers or booleans.');
    }
    const entries = Object.entries(extras);
    if (entries.length > MAX_EXTRAS) throw new RtmError('INVALID_MESSAGE', `"extras" may have at most ${MAX_EXTRAS} keys.`);
    for (const [key, value] of entries) {
      if (!EXTRA_KEY.test(key)) throw new RtmError('INVALID_MESSAGE', `Extra key ${JSON.stringify(key)} must be 1–64 of A-Z a-z 0-9 _ . -.`);
      const ok = typeof value === 'string' ? !describeTextProblem(value) : typeof value === 'boolean' || Number.isFinite(value);
      if (!ok) throw new RtmError('INVALID_MESSAGE', `Extra "${key}" must be well-formed text, a finite number or a boolean.`);
    }
    if (entries.length > 0) fields.extras = Object.fromEntries(entries) as WireMessageFields['extras'];
  }
  return fields;
}

function requireNumberIn(record: Record<string, unknown>, key: string, min: number, max: number): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RtmError('INVALID_MESSAGE', `"${key}" must be a number from ${min} to ${max}.`);
  }
  return value;
}

function parseLocation(record: Record<string, unknown>): WireLocationMessage {
  const message: WireLocationMessage = {
    type: 'LOCATION',
    latitude: requireNumberIn(record, 'latitude', -90, 90),
    longitude: requireNumberIn(record, 'longitude', -180, 180),
  };
  for (const key of ['name', 'address'] as const) {
    const value = optionalString(record, key);
    if (value === undefined || value === '') continue;
    if (value.length > MAX_ADDRESS_LENGTH) throw new RtmError('INVALID_MESSAGE', `"${key}" must be at most ${MAX_ADDRESS_LENGTH} characters.`);
    message[key] = requireText(value, `The "${key}"`);
  }
  return message;
}

function parseCustom(record: Record<string, unknown>): WireCustomMessage {
  if (typeof record.customType !== 'string' || !CUSTOM_TYPE.test(record.customType)) {
    throw new RtmError('INVALID_MESSAGE', '"customType" must be a letter, then up to 63 of A-Z a-z 0-9 _ . -, like "order.shipped".');
  }
  if (record.payload === undefined) throw new RtmError('MESSAGE_EMPTY', 'A CUSTOM message needs a "payload" (any JSON value).');
  const message: WireCustomMessage = { type: 'CUSTOM', customType: record.customType, payload: record.payload };
  const description = optionalString(record, 'description');
  if (description) message.description = requireText(description, 'The "description"');
  return message;
}


