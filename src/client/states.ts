/**
 * Connection states and change reasons, with the Agora RTM 1.x names.
 */

/**
 * Where the client's connection stands.
 * - `DISCONNECTED`: not logged in (initial, after `logout()`, after a refused login, or after giving
 *   up reconnecting).
 * - `CONNECTING`: `login()` is in progress.
 * - `CONNECTED`: logged in; messages flow.
 * - `RECONNECTING`: the connection dropped; the client is reconnecting and queues sends meanwhile.
 * - `ABORTED`: the server ended the session for good (the same user logged in elsewhere, or this
 *   page's origin is not allowed); the client will not reconnect on its own.
 */
export const ConnectionState = {
  DISCONNECTED: 'DISCONNECTED',
  CONNECTING: 'CONNECTING',
  CONNECTED: 'CONNECTED',
  RECONNECTING: 'RECONNECTING',
  ABORTED: 'ABORTED',
} as const;

/** One of {@link ConnectionState}'s values. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/**
 * Why the state changed.
 * - `LOGIN`: `login()` was called. `LOGIN_SUCCESS`: logged in (first time or after reconnecting).
 * - `LOGIN_FAILURE`: the server refused the login (token, app, user id, origin).
 * - `LOGIN_TIMEOUT`: no login reply in time.
 * - `INTERRUPTED`: the connection dropped (→ RECONNECTING), or the client gave up (→ DISCONNECTED).
 * - `LOGOUT`: `logout()` was called or the server logged this connection out.
 * - `BANNED_BY_SERVER`: the server refused this page's origin.
 * - `REMOTE_LOGIN`: the same user id logged in elsewhere and replaced this session.
 * - `TOKEN_EXPIRED`: the token expired (→ RECONNECTING until `renewToken()` gives a new one), or
 *   no new token came in time (→ DISCONNECTED).
 */
export const ConnectionChangeReason = {
  LOGIN: 'LOGIN',
  LOGIN_SUCCESS: 'LOGIN_SUCCESS',
  LOGIN_FAILURE: 'LOGIN_FAILURE',
  LOGIN_TIMEOUT: 'LOGIN_TIMEOUT',
  INTERRUPTED: 'INTERRUPTED',
  LOGOUT: 'LOGOUT',
  BANNED_BY_SERVER: 'BANNED_BY_SERVER',
  REMOTE_LOGIN: 'REMOTE_LOGIN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
} as const;

/** One of {@link ConnectionChangeReason}'s values. */
export type ConnectionChangeReason = (typeof ConnectionChangeReason)[keyof typeof ConnectionChangeReason];
