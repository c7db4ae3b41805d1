import { MAX_INVITATION_CONTENT_BYTES, RtmError, utf8ByteLength, type LocalInvitationFailureReason, type LocalInvitationState } from '../protocol/index.js';
import { TypedEmitter } from './emitter.js';

/** Events of a {@link LocalInvitation} (Agora's `LocalInvitationEvents`). */
export type LocalInvitationEvents = {
  /** The callee accepted, with their `response`. */
  LocalInvitationAccepted: (response: string) => void;
  /** The callee refused, with their `response`. */
  LocalInvitationRefused: (response: string) => void;
  /** A connection of the callee received it (at once, or when they came online within 30 s). */
  LocalInvitationReceivedByPeer: () => void;
  /** `cancel()` went through: every connection of the callee was told. */
  LocalInvitationCanceled: () => void;
  /**
   * It ended without an answer: PEER_OFFLINE (no connection of the callee got it within 30 s, or
   * every one of them went away), INVITATION_EXPIRE (60 s after it was sent), NOT_LOGGEDIN (this
   * client's connection went away, or it was sent before login), UNKNOWN.
   */
  LocalInvitationFailure: (reason: LocalInvitationFailureReason) => void;
};

/**
 * An outgoing call invitation (Agora's `LocalInvitation`), from `client.createLocalInvitation(calleeId)`.
 * Set `content` and `channelId` (each up to 8 KB), then `send()`; follow the state through the
 * events. Only this client's connection can cancel it; the first answer from any of the callee's
 * tabs and devices wins. Live only: nothing is stored. This shell stays in the bundle; what it
 * does is in invitations.ts, loaded with the first invitation.
 *
 * @example
 * const invitation = client.createLocalInvitation('bob');
 * invitation.content = JSON.stringify({ room: 'r-42' });
 * invitation.on('LocalInvitationAccepted', (response) => joinCall(response));
 * invitation.send();
 */
export class LocalInvitation extends TypedEmitter<LocalInvitationEvents> {
  /** The callee's response, once they answered. */
  readonly response: string = '';
  /** Agora's `LocalInvitationState`. */
  readonly state: LocalInvitationState = 'IDLE';
  /** What the callee's RemoteInvitation shows as `content`: at most 8 KB of UTF-8. */
  content = '';
  /** A channel for the call, passed on as is (the invitation joins nobody to it, as in Agora). */
  channelId = '';
  readonly #run: (invitation: LocalInvitation, op: 'send' | 'cancel') => void;

  /** Use `client.createLocalInvitation(calleeId)`. @internal */
  constructor(
    /** The callee's user id. */
    readonly calleeId: string,
    run: (invitation: LocalInvitation, op: 'send' | 'cancel') => void,
  ) {
    super();
    this.#run = run;
  }

  /**
   * Sends it (no result; follow the events). Throws INVITATION_ALREADY_SENT when it is not IDLE,
   * INVALID_ARGUMENT for `content` and `channelId` over 8 KB together (the server refuses either
   * over 8 KB, or a non-string: LocalInvitationFailure UNKNOWN).
   */
  send(): void {
    if (this.state !== 'IDLE') throw stateError(this.state, 'INVITATION_ALREADY_SENT');
    if (utf8ByteLength(this.content + this.channelId) > MAX_INVITATION_CONTENT_BYTES) throw stateError('over 8 KB', 'INVALID_ARGUMENT');
    (this as { state: LocalInvitationState }).state = 'SENT_TO_REMOTE';
    this.#run(this, 'send');
  }

  /**
   * Cancels it (no result; `LocalInvitationCanceled` follows). Throws INVITATION_NOT_STARTED
   * before `send()`, INVITATION_ALREADY_ACCEPTED once accepted, INVITATION_ALREADY_ENDED once
   * refused, canceled or failed.
   */
  cancel(): void {
    const state = this.state;
    if (state !== 'SENT_TO_REMOTE' && state !== 'RECEIVED_BY_REMOTE') {
      throw stateError(state, state === 'IDLE' ? 'INVITATION_NOT_STARTED' : state === 'ACCEPTED_BY_REMOTE' ? 'INVITATION_ALREADY_ACCEPTED' : 'INVITATION_ALREADY_ENDED');
    }
    this.#run(this, 'cancel');
  }
}

/** Calling a method of an invitation in a state that does not allow it (Agora's InvitationApiCallError). */
export function stateError(
  state: string,
  reason: 'INVALID_ARGUMENT' | 'INVITATION_NOT_STARTED' | 'INVITATION_ALREADY_SENT' | 'INVITATION_ALREADY_ACCEPTED' | 'INVITATION_ALREADY_ENDED',
): RtmError {
  return new RtmError(reason, `The call invitation is ${state}.`);
}
