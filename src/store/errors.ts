import { RtmError } from '../protocol/index.js';

/** `error` as an RtmError: itself when it is one, else `fallback` with its message. */
export function asRtmError(error: unknown, fallback: 'INVALID_TOKEN' | 'INVALID_MESSAGE' | 'INTERNAL_ERROR'): RtmError {
  if (error instanceof RtmError) return error;
  return new RtmError(fallback, error instanceof Error ? error.message : String(error));
}

/**
 * Whether a background load failed only because the connection went away: the reconnect that
 * follows loads again, so there is nothing to tell the user.
 */
export function lostConnection(error: unknown): boolean {
  const reason = (error as RtmError | undefined)?.reason;
  return reason === 'SERVER_NOT_REACHABLE' || reason === 'MESSAGE_WEBSOCKET_DISCONNECTED' || reason === 'CANCELLED';
}
