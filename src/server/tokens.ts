import { errors, jwtVerify, SignJWT } from 'jose';
import { checkUserId, DEFAULT_TOKEN_TTL_SECONDS, RtmError } from '../protocol/index.js';

/**
 * Login tokens: HS256 JWTs signed with the app's token secret.
 * Claims: `sub` = user id, `aud` = app id, `iat` and `exp` (seconds). All four are required.
 */

/** Clock skew tolerated between the machine that signed a token and this server. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

const ALGORITHM = 'HS256';
const encoder = new TextEncoder();

function keyOf(secret: string): Uint8Array {
  if (secret.length === 0) throw new RtmError('INVALID_ARGUMENT', 'The token secret must not be empty.');
  return encoder.encode(secret);
}

export interface CreateTokenOptions {
  appId: string;
  uid: string;
  /** The app's token secret. */
  secret: string;
  /** Lifetime; defaults to DEFAULT_TOKEN_TTL_SECONDS (24 h). */
  expiresInSeconds?: number;
  /** Issue time in ms since the epoch (tests create already-expired tokens with a past `now`). */
  now?: number;
}

/** Signs a login token for `uid` in app `appId`. */
export async function createToken(options: CreateTokenOptions): Promise<string> {
  const uidError = checkUserId(options.uid);
  if (uidError) throw uidError;
  const ttl = options.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1) {
    throw new RtmError('INVALID_ARGUMENT', 'expiresInSeconds must be a positive whole number of seconds.');
  }
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(options.uid)
    .setAudience(options.appId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(keyOf(options.secret));
}

export interface VerifyTokenOptions {
  token: string;
  appId: string;
  /**
   * The user id the client claims; a token for anyone else is TOKEN_MISMATCH. Omitted, a token for
   * any user of the app is accepted (HTTP media requests, where the token itself names the user).
   */
  uid?: string;
  secret: string;
  /** Current time in ms since the epoch (the server's injectable clock). */
  now?: number;
}

export interface VerifiedToken {
  uid: string;
  appId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

/**
 * Verifies a login token. Rejects with RtmError TOKEN_EXPIRED, TOKEN_MISMATCH (another user or
 * app) or INVALID_TOKEN (anything else: bad signature, wrong algorithm, malformed, missing claims).
 */
export async function verifyToken(options: VerifyTokenOptions): Promise<VerifiedToken> {
  const now = options.now ?? Date.now();
  let payload;
  try {
    ({ payload } = await jwtVerify(options.token, keyOf(options.secret), {
      // Pinned: never let the token's header pick the algorithm ("none", or RS/HS confusion).
      algorithms: [ALGORITHM],
      audience: options.appId,
      clockTolerance: TOKEN_CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
      requiredClaims: ['sub', 'aud', 'iat', 'exp'],
    }));
  } catch (error) {
    throw mapJoseError(error);
  }
  const { sub, iat, exp } = payload as { sub: string; iat: number; exp: number };
  if (iat > now / 1000 + TOKEN_CLOCK_TOLERANCE_SECONDS) {
    throw new RtmError('INVALID_TOKEN', 'The token was issued in the future; check the signing clock.');
  }
  if (options.uid === undefined && checkUserId(sub)) {
    throw new RtmError('INVALID_TOKEN', 'The token\'s "sub" is not a valid user id.');
  }
  if (options.uid !== undefined && sub !== options.uid) {
    throw new RtmError('TOKEN_MISMATCH', `The token is for another user id, not "${options.uid}".`);
  }
  return { uid: sub, appId: options.appId, issuedAt: iat, expiresAt: exp };
}

function mapJoseError(error: unknown): RtmError {
  if (error instanceof RtmError) return error;
  if (error instanceof errors.JWTExpired) return new RtmError('TOKEN_EXPIRED', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud' && error.reason === 'check_failed') {
    return new RtmError('TOKEN_MISMATCH', 'The token is for another app id.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new RtmError('INVALID_TOKEN', `The token's "${error.claim}" claim is invalid (${error.reason}).`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new RtmError('INVALID_TOKEN', 'The token signature does not match this app.');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new RtmError('INVALID_TOKEN', 'The token must be signed with HS256.');
  }
  return new RtmError('INVALID_TOKEN', 'The token is malformed.');
}
