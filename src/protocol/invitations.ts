import { RtmError } from './errors.js';
import { checkClientMessageId, checkUserId } from './ids.js';
import { MAX_INVITATION_CONTENT_BYTES } from './limits.js';
import { describeTextProblem, utf8ByteLength } from './messages.js';

/**
 * Call invitations (Agora RTM 1.x's LocalInvitation / RemoteInvitation): live only, never stored.
 * The frames, their states and their failure reasons; docs/protocol.md "Call invitations".
 */

/** Agora's `LocalInvitationState`: the caller's view. */
export type LocalInvitationState =
  | 'IDLE'
  | 'SENT_TO_REMOTE'
  | 'RECEIVED_BY_REMOTE'
  | 'ACCEPTED_BY_REMOTE'
  | 'REFUSED_BY_REMOTE'
  | 'CANCELED'
  | 'FAILURE';

/** Agora's `RemoteInvitationState`: the callee's view. */
export type RemoteInvitationState = 'INVITATION_RECEIVED' | 'ACCEPT_SENT_TO_LOCAL' | 'REFUSED' | 'ACCEPTED' | 'CANCELED' | 'FAILURE';

/** Agora's `LocalInvitationFailureReason`: why an outgoing invitation failed. */
export type LocalInvitationFailureReason = 'UNKNOWN' | 'PEER_NO_RESPONSE' | 'INVITATION_EXPIRE' | 'PEER_OFFLINE' | 'NOT_LOGGEDIN';

/** Agora's `RemoteInvitationFailureReason`: why an incoming invitation failed. */
export type RemoteInvitationFailureReason = 'UNKNOWN' | 'PEER_OFFLINE' | 'ACCEPT_FAILURE' | 'INVITATION_EXPIRE';

// ---- client → server ------------------------------------------------------------------------

/**
 * The caller sends an invitation. `invitation` is the caller's own id for it (the client message
 * id charset), unique among the caller's open invitations.
 */
export interface InvitationSendFrame {
  t: 'invitation.send';
  id: number;
  invitation: string;
  callee: string;
  content: string;
  channelId: string;
}

/** The caller cancels an invitation it sent on this connection. */
export interface InvitationCancelFrame {
  t: 'invitation.cancel';
  id: number;
  invitation: string;
}

/** The callee accepts or refuses the invitation `invitation` of `caller`. */
export interface InvitationAnswerFrame {
  t: 'invitation.accept' | 'invitation.refuse';
  id: number;
  caller: string;
  invitation: string;
  response: string;
}

/**
 * The caller's client passes on an answer that reached it as an `invitation.answer` push (the
 * callee's connection is on another server node): the caller's node decides, as for a local answer.
 */
export interface InvitationSettleFrame {
  t: 'invitation.settle';
  id: number;
  invitation: string;
  accepted: boolean;
  response: string;
  /** The `ref` of the push. */
  ref: string;
}

export type InvitationClientFrame = InvitationSendFrame | InvitationCancelFrame | InvitationAnswerFrame | InvitationSettleFrame;

/** Replies, by request type. */
export interface InvitationReplyResults {
  /** `received`: at least one connection of the callee got it now (else it is sent again as they come online). */
  'invitation.send': { received: boolean };
  'invitation.cancel': Record<string, never>;
  /**
   * `{}`: this answer won and the caller has it. `{ relayed: true, ref }`: the caller is on another
   * node; the outcome comes as an `invitation.answered` push, won when its `ref` is this one.
   */
  'invitation.accept': { relayed?: true; ref?: string };
  'invitation.refuse': { relayed?: true; ref?: string };
  'invitation.settle': Record<string, never>;
}

// ---- server → client ------------------------------------------------------------------------

/** To every connection of the callee: an invitation from `caller`. */
export interface InvitationPushFrame {
  t: 'invitation';
  caller: string;
  invitation: string;
  content: string;
  channelId: string;
}

/** To the caller's connection: the callee has received it (after being offline when it was sent). */
export interface InvitationReceivedFrame {
  t: 'invitation.received';
  invitation: string;
}

/** To the caller's connection: the callee's answer. */
export interface InvitationReplyFrame {
  t: 'invitation.reply';
  invitation: string;
  accepted: boolean;
  response: string;
}

/**
 * To the callee's connections: the invitation was answered — by another connection (close the
 * prompt), or, with the `ref` of a relayed answer, by the one that sent it.
 */
export interface InvitationAnsweredFrame {
  t: 'invitation.answered';
  caller: string;
  invitation: string;
  accepted: boolean;
  ref?: string;
}

/** To every connection of the callee: the caller canceled it (`content` as Agora passes it). */
export interface InvitationCanceledFrame {
  t: 'invitation.canceled';
  caller: string;
  invitation: string;
  content: string;
}

/**
 * The invitation failed: to the caller's connection without `caller` (a LocalInvitationFailureReason),
 * to the callee's connections with it (a RemoteInvitationFailureReason).
 */
export type InvitationFailedFrame =
  | { t: 'invitation.failed'; invitation: string; caller?: undefined; reason: LocalInvitationFailureReason }
  | { t: 'invitation.failed'; invitation: string; caller: string; reason: RemoteInvitationFailureReason };

/** To the caller's connections: an answer whose callee connection is on another node (pass it on with `invitation.settle`). */
export interface InvitationRelayedAnswerFrame {
  t: 'invitation.answer';
  callee: string;
  invitation: string;
  accepted: boolean;
  response: string;
  ref: string;
}

export type InvitationServerFrame =
  | InvitationPushFrame
  | InvitationReceivedFrame
  | InvitationReplyFrame
  | InvitationAnsweredFrame
  | InvitationCanceledFrame
  | InvitationFailedFrame
  | InvitationRelayedAnswerFrame;

// ---- validation -----------------------------------------------------------------------------

/** Parses the invitation frames (`t` starts with "invitation."); undefined for another `t`. */
export function parseInvitationFrame(frame: Record<string, unknown>, id: number): InvitationClientFrame | undefined {
  switch (frame.t) {
    case 'invitation.send':
      return {
        t: 'invitation.send',
        id,
        invitation: invitationId(frame),
        callee: userId(frame, 'callee'),
        content: text(frame, 'content'),
        channelId: text(frame, 'channelId'),
      };
    case 'invitation.cancel':
      return { t: 'invitation.cancel', id, invitation: invitationId(frame) };
    case 'invitation.accept':
    case 'invitation.refuse':
      return { t: frame.t, id, caller: userId(frame, 'caller'), invitation: invitationId(frame), response: text(frame, 'response') };
    case 'invitation.settle':
      if (typeof frame.accepted !== 'boolean') throw new RtmError('INVALID_FIELD', '"accepted" must be a boolean.');
      if (typeof frame.ref !== 'string' || frame.ref.length === 0 || frame.ref.length > 64) {
        throw new RtmError('INVALID_FIELD', '"ref" must be the ref of the invitation.answer push.');
      }
      return { t: 'invitation.settle', id, invitation: invitationId(frame), accepted: frame.accepted, response: text(frame, 'response'), ref: frame.ref };
    default:
      return undefined;
  }
}

function invitationId(frame: Record<string, unknown>): string {
  const value = frame.invitation;
  if (typeof value !== 'string') throw new RtmError('INVALID_FIELD', '"invitation" must be a string.');
  const invalid = checkClientMessageId(value);
  if (invalid) throw new RtmError('INVALID_FIELD', `"invitation": ${invalid.message}`);
  return value;
}

function userId(frame: Record<string, unknown>, key: string): string {
  const value = frame[key];
  if (typeof value !== 'string') throw new RtmError('INVALID_FIELD', `"${key}" must be a string.`);
  const invalid = checkUserId(value, key === 'callee' ? 'Callee id' : 'Caller id');
  if (invalid) throw invalid;
  return value;
}

/** Content, response or channel id: text of at most MAX_INVITATION_CONTENT_BYTES; absent is "". */
function text(frame: Record<string, unknown>, key: string): string {
  const value = frame[key] ?? '';
  if (typeof value !== 'string') throw new RtmError('INVALID_FIELD', `"${key}" must be a string.`);
  const problem = describeTextProblem(value);
  if (problem) throw new RtmError('INVALID_FIELD', `"${key}" ${problem}.`);
  const size = utf8ByteLength(value);
  if (size > MAX_INVITATION_CONTENT_BYTES) {
    throw new RtmError('INVALID_FIELD', `"${key}" is at most ${MAX_INVITATION_CONTENT_BYTES} bytes; this one is ${size}.`);
  }
  return value;
}
