import { RtmError } from './errors.js';

/**
 * Field checks shared by the REST request bodies (`rest.ts`, `rest-changes.ts`). Internal to the
 * protocol: not exported from its index.
 */

export function requireObject(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RtmError('INVALID_ARGUMENT', `The body must be a JSON object like ${example}.`);
  }
  return body as Record<string, unknown>;
}

/**
 * Unknown fields are refused rather than ignored: names are case-sensitive (as in Agora's API),
 * and a misspelt `enable_offline_messaging` would otherwise silently lose offline messages.
 */
export function refuseUnknownFields(record: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new RtmError(
      'INVALID_FIELD',
      `Unknown field ${JSON.stringify(unknown[0])}; the fields are ${known.map((k) => `"${k}"`).join(', ')} (case-sensitive).`,
    );
  }
}

export function optionalBoolean(record: Record<string, unknown>, key: string): boolean {
  const value = record[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new RtmError('INVALID_FIELD', `"${key}" must be true or false (a JSON boolean), got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function requiredPayload(record: Record<string, unknown>): string {
  const payload = record.payload;
  if (payload === undefined) throw new RtmError('INVALID_FIELD', 'Missing "payload": the message text, a non-empty string.');
  if (typeof payload !== 'string') {
    throw new RtmError('INVALID_FIELD', `"payload" must be a string, got ${payload === null ? 'null' : typeof payload}.`);
  }
  return payload;
}
