import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { RtmError } from '../../protocol/index.js';

/**
 * Signed download URLs: `?appId=…&exp=<ms>&sig=<base64url HMAC-SHA256 of "appId|mediaId|exp">`.
 * The key is derived from the app's token secret (HKDF with a fixed label) rather than being the
 * secret itself, so a signature can never double as, or help forge, a login token; rotating the
 * token secret invalidates every URL signed with it.
 */
const KEY_LABEL = 'rtm-chat media url v1';

const keys = new Map<string, Buffer>();

function keyFor(tokenSecret: string): Buffer {
  let key = keys.get(tokenSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', tokenSecret, '', KEY_LABEL, 32));
    keys.set(tokenSecret, key);
  }
  return key;
}

export function signMediaUrl(tokenSecret: string, appId: string, mediaId: string, expiresAt: number): string {
  return createHmac('sha256', keyFor(tokenSecret)).update(`${appId}|${mediaId}|${expiresAt}`).digest('base64url');
}

/**
 * Checks `exp` and `sig` from a URL. Throws INVALID_TOKEN for a missing, malformed or wrong
 * signature and TOKEN_EXPIRED once `exp` has passed (the signature is checked first, so an
 * expired-but-forged URL is reported as forged).
 */
export function verifyMediaUrl(
  tokenSecret: string,
  appId: string,
  mediaId: string,
  exp: unknown,
  sig: unknown,
  now: number,
): void {
  if (typeof exp !== 'string' || !/^\d{1,16}$/.test(exp) || typeof sig !== 'string') {
    throw new RtmError('INVALID_TOKEN', 'A signed media URL needs "exp" (ms since the epoch) and "sig".');
  }
  const expected = Buffer.from(signMediaUrl(tokenSecret, appId, mediaId, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new RtmError('INVALID_TOKEN', 'The signature of this media URL does not match; request a new URL.');
  }
  if (Number(exp) <= now) {
    throw new RtmError('TOKEN_EXPIRED', `This media URL expired at ${new Date(Number(exp)).toISOString()}; request a new one.`);
  }
}
