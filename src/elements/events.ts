import type { ChatInvitation, ChatInvitationState, ChatMessage, ConnectionSnapshot } from '../store/index.js';
import type { RtmError } from '../protocol/index.js';

/**
 * The widget's public DOM events. All bubble and cross shadow roots (composed), so a page can
 * listen on `<rtm-chat>` or any ancestor. Each class names its event in `eventName`:
 *
 * @example
 * chat.addEventListener(RtmMessageEvent.eventName, (event) => console.log(event.detail.message));
 */

/**
 * What the public events share: the options and a typed `detail`. The event's name comes from the
 * subclass's `eventName`, so each event states it once.
 */
export abstract class RtmEvent<D> extends Event {
  static readonly eventName: string;
  constructor(readonly detail: D) {
    super(new.target.eventName, { bubbles: true, composed: true });
  }
}

/** Detail of `rtm-connection-change`. */
export interface RtmConnectionChangeDetail {
  /** CONNECTING, CONNECTED, RECONNECTING, DISCONNECTED or ABORTED (IDLE before login). */
  state: ConnectionSnapshot['state'];
  /** Why it changed (RTM reason names, e.g. LOGIN_SUCCESS, INTERRUPTED, LOGIN_FAILURE). */
  reason?: string;
}

/** Fired by `<rtm-chat>` when the session's connection state changes. */
export class RtmConnectionChangeEvent extends RtmEvent<RtmConnectionChangeDetail> {
  static override readonly eventName = 'rtm-connection-change';
}

/** Detail of `rtm-message`. */
export interface RtmMessageDetail {
  /** Conversation key, `peer:<id>` or `channel:<name>`. */
  conversation: string;
  message: ChatMessage;
}

/** Fired by `<rtm-chat>` for each message received from someone else. */
export class RtmMessageEvent extends RtmEvent<RtmMessageDetail> {
  static override readonly eventName = 'rtm-message';
}

/** Detail of `rtm-invitation`. */
export interface RtmInvitationDetail {
  /** Who invites, to which channel, with what content; `id` for `session.answerInvitation`. */
  invitation: ChatInvitation;
  /**
   * `received`: it arrived (the prompt shows, unless `no-invitation-prompt`); `accepted`: this
   * user accepted and the caller's side confirmed: start the call; `refused`; `canceled` by the
   * caller; `answered-elsewhere`: another tab or device of this user answered; `failed` (`reason`).
   */
  state: ChatInvitationState;
  /** For `failed`: PEER_OFFLINE, INVITATION_EXPIRE or ACCEPT_FAILURE (Agora's reasons). */
  reason?: string;
}

/** Fired by `<rtm-chat>` as a call invitation to this user arrives and ends. */
export class RtmInvitationEvent extends RtmEvent<RtmInvitationDetail> {
  static override readonly eventName = 'rtm-invitation';
}

/** Detail of `rtm-error`. */
export interface RtmErrorDetail {
  /** The error, with its stable `code` and `reason`. */
  error: RtmError;
  /** The conversation it concerns, when it concerns one. */
  conversation?: string;
}

/** Fired when a login, send or other operation fails. */
export class RtmErrorEvent extends RtmEvent<RtmErrorDetail> {
  static override readonly eventName = 'rtm-error';
}

/** Detail of `rtm-unread-change`. */
export interface RtmUnreadChangeDetail {
  /** Unread messages over all the user's conversations (server-computed). */
  total: number;
}

/** Fired by `<rtm-chat>` when the user's total unread count changes. */
export class RtmUnreadChangeEvent extends RtmEvent<RtmUnreadChangeDetail> {
  static override readonly eventName = 'rtm-unread-change';
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rtm-connection-change': RtmConnectionChangeEvent;
    'rtm-message': RtmMessageEvent;
    'rtm-error': RtmErrorEvent;
    'rtm-unread-change': RtmUnreadChangeEvent;
  }
}
