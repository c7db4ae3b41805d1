import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SIGNATURE_TOLERANCE_SECONDS } from '../../protocol/index.js';

/** The request header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-rtm-signature';

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body, 'utf8').digest('hex');
}

/**
 * The `x-rtm-signature` value for `body` sent at `timestamp` (unix seconds): the HMAC-SHA256, keyed
 * with the app's webhook secret, of `"<timestamp>.<raw body>"`. The timestamp is signed too, so a
 * receiver that refuses old timestamps refuses replays.
 */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received (not re-serialized JSON). */
  body: string;
  /** The `x-rtm-signature` header. */
  header: string | undefined;
  secret: string;
  /** Largest accepted age (or clock skew) of the timestamp; default WEBHOOK_SIGNATURE_TOLERANCE_SECONDS. */
  toleranceSeconds?: number;
  /** Clock, ms since the epoch. */
  now?: number;
}

/**
 * For receivers written in Node: whether a webhook request is genuine and fresh. Any `v1=` entry
 * may match (room for sending under two secrets during a rotation).
 *
 * @example
 * if (!verifyWebhookSignature({ body: rawBody, header: req.headers['x-rtm-signature'], secret })) {
 *   res.statusCode = 400; // refused: tampered, foreign or replayed
 * }
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): boolean {
  const { header, body, secret } = options;
  if (typeof header !== 'string') return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) return false;
  const timestamp = Number(t);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  return signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
