/**
 * Error codes shared by the server, the transport core and the elements. Each has a stable number
 * (`code`) and a stable name (`reason`); the message is for developers and may change.
 *
 * Numbering: 1xx session and arguments, 2xx authentication, 3xx reachability, 4xx bad input, 5xx
 * transport and server.
 */
export const ErrorCodes = {
  /** The client was used before `login()` resolved. */
  NOT_LOGGED_IN: 101,
  /** `login()` was called on a client that is already logged in or logging in. */
  ALREADY_LOGGED_IN: 102,
  /** An argument passed to a method has the wrong type or shape. */
  INVALID_ARGUMENT: 103,
  /** The channel must be joined before this operation. */
  NOT_JOINED: 104,
  /** The operation was cancelled by the caller (cancelSignal, logout, leave). */
  CANCELLED: 105,
  /** Cancel was asked for a transfer that had already finished (or failed): nothing to cancel. */
  NOTHING_TO_CANCEL: 106,

  /** The token could not be verified (bad signature, malformed, wrong algorithm). */
  INVALID_TOKEN: 201,
  /** The token has expired. */
  TOKEN_EXPIRED: 202,
  /** The token is valid but for another user id or app id. */
  TOKEN_MISMATCH: 203,
  /** No app with this app id exists on the server. */
  INVALID_APP_ID: 204,
  /** The page's origin is not on the app's allow-list. */
  ORIGIN_NOT_ALLOWED: 205,
  /** A REST request with neither Basic nor token credentials (or half of the token pair). */
  MISSING_CREDENTIALS: 206,
  /** REST Basic credentials that are not the app's REST key and secret, or another scheme. */
  INVALID_CREDENTIALS: 207,

  /** No ack within the send timeout, and the retry after reconnecting failed too. */
  SERVER_NOT_REACHABLE: 300,
  /** Login got no reply in time. */
  LOGIN_TIMEOUT: 301,
  /** REST `wait_for_ack=true`: the receiver's client did not confirm in time (the message is stored). */
  DELIVERY_TIMEOUT: 302,

  /** A frame that is not valid JSON, or not a JSON object. */
  MALFORMED_FRAME: 400,
  /** A frame whose `t` is not a known frame type. */
  UNKNOWN_FRAME: 401,
  /** A frame field is missing or has the wrong type. */
  INVALID_FIELD: 402,
  /** A user id outside the charset, empty, over 64 characters, or with edge spaces. */
  INVALID_USER_ID: 403,
  /** A channel name outside the charset, empty, over 64 characters, or with edge spaces. */
  INVALID_CHANNEL_NAME: 404,
  /** A message with no content. */
  MESSAGE_EMPTY: 405,
  /** A message over the 32 KB cap. */
  MESSAGE_TOO_LARGE: 406,
  /** A frame over the WebSocket max payload. */
  FRAME_TOO_LARGE: 407,
  /** A message type the receiver does not know. */
  INVALID_MESSAGE: 408,
  /** A client message id outside `[A-Za-z0-9_-]{1,64}`, or one already used for another conversation. */
  INVALID_CLIENT_MESSAGE_ID: 409,
  /** No such HTTP endpoint or resource (also: a feature that is switched off, like dev tokens). */
  NOT_FOUND: 410,
  /** A media upload with no bytes. */
  MEDIA_EMPTY: 411,
  /** A media upload over 30 MB. */
  MEDIA_TOO_LARGE: 412,
  /** A media id that is not one the server could have issued. */
  INVALID_MEDIA_ID: 413,
  /** No media object with this id (never uploaded, or deleted). */
  MEDIA_NOT_FOUND: 414,
  /** The media object was deleted 7 days after upload. */
  MEDIA_EXPIRED: 415,
  /** A file name that is empty, too long, or has control characters. */
  INVALID_FILE_NAME: 416,
  /** No message with this id in a conversation of the caller (or it was deleted for them). */
  MESSAGE_NOT_FOUND: 417,
  /** Retract or edit of a message someone else sent. */
  NOT_MESSAGE_SENDER: 418,
  /** Retract more than RETRACT_WINDOW_MS (3 minutes) after the server received the message. */
  RETRACT_WINDOW_PASSED: 419,
  /** Edit of, or a reaction to, a message that was retracted. */
  MESSAGE_RETRACTED: 420,
  /** Edit of a message that is not a TEXT message. */
  MESSAGE_NOT_EDITABLE: 421,
  /** A reaction that is not exactly one emoji, or one too many on a message. */
  INVALID_REACTION: 422,
  /** A reply to a message that is not in the same conversation (or does not exist). */
  INVALID_REPLY: 423,
  /** An attribute key that is not 1–MAX_ATTRIBUTE_KEY_BYTES visible ASCII characters, or a key named twice. */
  INVALID_ATTRIBUTE_KEY: 424,
  /** An attribute value that is empty, not a string, not well-formed text, or over MAX_ATTRIBUTE_VALUE_BYTES. */
  INVALID_ATTRIBUTE_VALUE: 425,
  /** A write that would leave a user or channel with more attributes than its limit (MAX_USER_ATTRIBUTES, MAX_CHANNEL_ATTRIBUTES). */
  TOO_MANY_ATTRIBUTES: 426,
  /** A write that would leave a user's or channel's attributes over their total size (MAX_USER_ATTRIBUTES_BYTES, MAX_CHANNEL_ATTRIBUTES_BYTES). */
  ATTRIBUTES_TOO_LARGE: 427,
  /**
   * Too many requests in a short time: a typing notice within TYPING_MIN_INTERVAL_MS, a send over
   * the per-connection limit (SENDS_PER_SECOND / SEND_BURST), any frame over FRAMES_PER_SECOND /
   * FRAME_BURST, or a REST request over the app's limit. Nothing was stored; wait and try again.
   */
  TOO_OFTEN: 429,
  /** A call invitation to oneself. */
  INVITATION_TO_SELF: 430,
  /** No such call invitation (never sent, or its caller is gone), or it is not to the caller of the request. */
  INVITATION_NOT_FOUND: 431,
  /** `cancel()` of a call invitation that was never sent (Agora's INVITATION_API_CALL_ERR_NOT_STARTED). */
  INVITATION_NOT_STARTED: 432,
  /** `send()` of a call invitation that was sent before, or an invitation id that is in use (Agora's ALREADY_SENT). */
  INVITATION_ALREADY_SENT: 433,
  /** An answer or cancel of a call invitation that was accepted already (Agora's ALREADY_ACCEPT). */
  INVITATION_ALREADY_ACCEPTED: 434,
  /** An answer or cancel of a call invitation that was refused, canceled, or failed (Agora's ALREADY_END). */
  INVITATION_ALREADY_ENDED: 435,

  /** The server failed while handling a request; nothing was stored. */
  INTERNAL_ERROR: 500,
  /** An upload or download failed on the network or the server (HTTP status in the message). */
  MEDIA_TRANSFER_FAILED: 501,
  /** A send while the client has given up reconnecting. */
  MESSAGE_WEBSOCKET_DISCONNECTED: 510,
  /** The session was closed because the same user logged in elsewhere with `replace`. */
  SESSION_REPLACED: 511,
} as const;

/** The stable name of an error, e.g. `'SERVER_NOT_REACHABLE'`. */
export type ErrorReason = keyof typeof ErrorCodes;

/** The stable number of an error, e.g. `300`. */
export type ErrorCode = (typeof ErrorCodes)[ErrorReason];

const reasonByCode = new Map<number, ErrorReason>(
  (Object.entries(ErrorCodes) as [ErrorReason, number][]).map(([reason, code]) => [code, reason]),
);

/** The name for a code, or undefined for a code this version does not know. */
export function reasonOf(code: number): ErrorReason | undefined {
  return reasonByCode.get(code);
}

/** The error body carried in replies and `error` frames. */
export interface ErrorBody {
  code: ErrorCode;
  reason: ErrorReason;
  message: string;
}

/**
 * An error with a stable `code` (number) and `reason` (name). Thrown or rejected by the transport
 * core and carried on the wire as an {@link ErrorBody}.
 *
 * @example
 * try { await client.sendMessageToPeer({ text: 'hi' }, 'bob'); }
 * catch (err) { if (err instanceof RtmError && err.reason === 'SERVER_NOT_REACHABLE') retryLater(); }
 */
export class RtmError extends Error {
  override readonly name = 'RtmError';
  readonly code: ErrorCode;
  readonly reason: ErrorReason;

  constructor(reason: ErrorReason, message: string) {
    super(message);
    this.reason = reason;
    this.code = ErrorCodes[reason];
  }

  /** The wire form of this error. */
  toBody(): ErrorBody {
    return { code: this.code, reason: this.reason, message: this.message };
  }

  /** Rebuilds an error received on the wire; unknown codes become INTERNAL_ERROR. */
  static fromBody(body: { code?: unknown; reason?: unknown; message?: unknown }): RtmError {
    const reason =
      typeof body.reason === 'string' && body.reason in ErrorCodes
        ? (body.reason as ErrorReason)
        : typeof body.code === 'number'
          ? (reasonOf(body.code) ?? 'INTERNAL_ERROR')
          : 'INTERNAL_ERROR';
    const message = typeof body.message === 'string' ? body.message : reason;
    return new RtmError(reason, message);
  }
}

/**
 * WebSocket close codes the server uses (4000–4999 is the application range). The client reads them
 * to decide whether reconnecting can help.
 */
export const CloseCodes = {
  /** Normal logout. */
  LOGOUT: 4000,
  /** Login refused: bad, expired or mismatched token, unknown app. Reconnecting will not help. */
  LOGIN_REFUSED: 4001,
  /** No login frame within the login deadline. */
  LOGIN_DEADLINE: 4002,
  /** The page's origin is not allowed for this app. Reconnecting will not help. */
  ORIGIN_NOT_ALLOWED: 4003,
  /** The server missed heartbeats from this client. */
  HEARTBEAT_TIMEOUT: 4008,
  /** The server is shutting down; reconnect to another node or later. */
  SERVER_SHUTDOWN: 4009,
  /** Too many bad frames; the connection is no longer safe to keep. */
  PROTOCOL_VIOLATION: 4010,
  /** The login token expired and was not renewed in time; log in again with a new token. */
  TOKEN_EXPIRED: 4011,
  /**
   * The client did not read fast enough: more than MAX_SEND_BUFFER_BYTES were waiting for it.
   * Reconnecting helps (the client catches up through sync); the rest of the server never waited.
   */
  SLOW_CONSUMER: 4012,
  /**
   * The client kept sending at twice its rate limit or more for RATE_LIMIT_ABUSE_SECONDS (each
   * extra request had been refused with TOO_OFTEN). Reconnecting is allowed, after a backoff.
   */
  RATE_LIMITED: 4013,
} as const;

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes];
