/**
 * What a person is shown for an error in a language other than English, by the error's stable
 * `reason` (the English UI shows the error's own message). A companion of the locale catalogs:
 * loaded with the first one (error-text.ts), so English pages never fetch it.
 */
import { msg, str } from '@lit/localize';
import { MAX_MEDIA_BYTES, RETRACT_WINDOW_MS, type ErrorReason } from '../../protocol/index.js';
import { formatBytes, formatCount } from './format.js';

const refused = () => msg('Signing in was refused.');
const tooLong = () => msg('The message is too long.');
const invalid = () => msg('This message cannot be sent.');
const mediaGone = () => msg('The file is no longer available.');

const byReason: Partial<Record<ErrorReason, () => string>> = {
  NOT_LOGGED_IN: () => msg('You are not signed in.'),
  INVALID_ARGUMENT: invalid,
  INVALID_FIELD: invalid,
  INVALID_MESSAGE: invalid,
  NOT_JOINED: () => msg('You are not in this channel.'),
  CANCELLED: () => msg('Cancelled.'),
  INVALID_TOKEN: refused,
  TOKEN_MISMATCH: refused,
  MISSING_CREDENTIALS: refused,
  INVALID_CREDENTIALS: refused,
  TOKEN_EXPIRED: () => msg('Your sign-in has expired.'),
  INVALID_APP_ID: () => msg('This chat is not set up: the server does not know its app.'),
  ORIGIN_NOT_ALLOWED: () => msg('This site may not use this chat server.'),
  SERVER_NOT_REACHABLE: () => msg('The chat server cannot be reached.'),
  LOGIN_TIMEOUT: () => msg('Signing in took too long.'),
  DELIVERY_TIMEOUT: () => msg('The message was not delivered in time.'),
  INVALID_USER_ID: () => msg('That is not a valid user id.'),
  INVALID_CHANNEL_NAME: () => msg('That is not a valid channel name.'),
  MESSAGE_EMPTY: () => msg('The message is empty.'),
  MESSAGE_TOO_LARGE: tooLong,
  FRAME_TOO_LARGE: tooLong,
  MEDIA_EMPTY: () => msg('The file is empty.'),
  MEDIA_TOO_LARGE: () => msg(str`The file is larger than ${formatBytes(MAX_MEDIA_BYTES)}.`),
  INVALID_MEDIA_ID: mediaGone,
  MEDIA_NOT_FOUND: mediaGone,
  MEDIA_EXPIRED: mediaGone,
  INVALID_FILE_NAME: () => msg('This file name cannot be used.'),
  MESSAGE_NOT_FOUND: () => msg('The message no longer exists.'),
  NOT_MESSAGE_SENDER: () => msg('Only its sender can change this message.'),
  RETRACT_WINDOW_PASSED: () => msg(str`A message can only be retracted within ${formatCount(RETRACT_WINDOW_MS / 60_000)} minutes.`),
  MESSAGE_RETRACTED: () => msg('The message was retracted.'),
  MESSAGE_NOT_EDITABLE: () => msg('This message cannot be edited.'),
  INVALID_REACTION: () => msg('This reaction cannot be used.'),
  TOO_OFTEN: () => msg('Too many at once. Wait a moment and try again.'),
  MEDIA_TRANSFER_FAILED: () => msg('The transfer failed.'),
  MESSAGE_WEBSOCKET_DISCONNECTED: () => msg('Not connected: the message was not sent.'),
  SESSION_REPLACED: () => msg('You signed in somewhere else.'),
};

/** Browser errors the widget passes on (the microphone, the clipboard), by DOMException name. */
const byDomName: Record<string, () => string> = {
  NotAllowedError: () => msg('Permission was denied.'),
  NotFoundError: () => msg('No such device was found.'),
  NotReadableError: () => msg('The device is in use by another application.'),
};

export function describeError(error: unknown): string {
  const { reason, code, name } = (error ?? {}) as { reason?: ErrorReason; code?: number; name?: string };
  const text = (reason && byReason[reason]) || (name && byDomName[name]);
  if (text) return text();
  return code === undefined ? msg('Something went wrong.') : msg(str`Something went wrong (error ${code}).`);
}
