import {
  INVITATION_ACCEPT_TIMEOUT_MS,
  MAX_INVITATION_CONTENT_BYTES,
  RtmError,
  utf8ByteLength,
  type ClientFrame,
  type InvitationServerFrame,
  type LocalInvitationFailureReason,
  type RemoteInvitationFailureReason,
  type RemoteInvitationState,
  type ReplyResults,
} from '../protocol/index.js';
import { TypedEmitter } from './emitter.js';
import type { RtmClientEvents } from './events.js';
import { createClientMessageId } from './ids.js';
import { stateError, type LocalInvitation } from './local-invitation.js';
import type { RequestOptions } from './outbox.js';

/**
 * Call invitations (Agora RTM 1.x), loaded with the first outgoing one or the first push about
 * one: in the script-tag build, the companion file dist/rtm-chat.invitations.js. The
 * {@link LocalInvitation} shell stays in the bundle (`createLocalInvitation` returns it at once);
 * its `send` and `cancel` and every invitation push land here.
 */

export type { LocalInvitation, LocalInvitationEvents } from './local-invitation.js';

/** What the invitations use of the client. */
export interface InvitationHost {
  request<T extends keyof ReplyResults>(build: (id: number) => ClientFrame & { t: T }, options?: RequestOptions): Promise<ReplyResults[T]>;
  emit<E extends keyof RtmClientEvents>(event: E, ...args: Parameters<RtmClientEvents[E]>): void;
}

/** Events of a {@link RemoteInvitation} (Agora's `RemoteInvitationEvents`, plus one of ours). */
export type RemoteInvitationEvents = {
  /** The caller canceled it; `content` is the invitation's. */
  RemoteInvitationCanceled: (content: string) => void;
  /** This client's `refuse()` reached the caller. */
  RemoteInvitationRefused: () => void;
  /** This client's `accept()` reached the caller. */
  RemoteInvitationAccepted: () => void;
  /**
   * It ended without this client's answer reaching the caller: PEER_OFFLINE (the caller's
   * connection, or this client's, went away), INVITATION_EXPIRE (60 s after it was sent),
   * ACCEPT_FAILURE (the answer was refused, or not confirmed within 5 s).
   */
  RemoteInvitationFailure: (reason: RemoteInvitationFailureReason) => void;
  /**
   * Our addition: another tab or device of this user answered first (`accepted` says how); close
   * this one's prompt. `state` becomes ACCEPTED or REFUSED accordingly.
   */
  RemoteInvitationAnsweredElsewhere: (accepted: boolean) => void;
};

type Emitting = { emit(event: string, ...args: unknown[]): void };
/** TypedEmitter's `emit` is protected: the shell's owner here calls it. */
const fire = (target: object, event: string, ...args: unknown[]) => (target as Emitting).emit(event, ...args);

interface Invitations {
  /** Outgoing, by the invitation id sent. */
  readonly local: Map<string, LocalInvitation>;
  readonly ids: WeakMap<LocalInvitation, string>;
  /** Incoming, by caller + '\n' + invitation id. */
  readonly remote: Map<string, RemoteInvitation>;
}

const byHost = new WeakMap<InvitationHost, Invitations>();
function of(host: InvitationHost): Invitations {
  let invitations = byHost.get(host);
  if (!invitations) byHost.set(host, (invitations = { local: new Map(), ids: new WeakMap(), remote: new Map() }));
  return invitations;
}

const OPEN_LOCAL = new Set(['SENT_TO_REMOTE', 'RECEIVED_BY_REMOTE']);

type LocalEnd = 'ACCEPTED_BY_REMOTE' | 'REFUSED_BY_REMOTE' | 'CANCELED' | 'FAILURE';
function endLocal(host: InvitationHost, invitation: LocalInvitation, state: LocalEnd, event: string, arg?: string): void {
  if (!OPEN_LOCAL.has(invitation.state)) return;
  const id = of(host).ids.get(invitation);
  if (id !== undefined) of(host).local.delete(id);
  (invitation as { state: string }).state = state;
  fire(invitation, event, ...(arg === undefined ? [] : [arg]));
}

/** `LocalInvitation.send()` (the shell checked the state and sizes and set SENT_TO_REMOTE). */
export function send(host: InvitationHost, invitation: LocalInvitation): void {
  const id = createClientMessageId();
  const invitations = of(host);
  invitations.local.set(id, invitation);
  invitations.ids.set(invitation, id);
  const { calleeId: callee, content, channelId } = invitation;
  host.request((rid) => ({ t: 'invitation.send', id: rid, invitation: id, callee, content, channelId })).then(
    ({ received }) => {
      // Failed meanwhile (this connection went away): the server holds it for a new one; take it back.
      if (!OPEN_LOCAL.has(invitation.state)) void host.request((rid) => ({ t: 'invitation.cancel', id: rid, invitation: id })).catch(() => {});
      else if (received) receivedByPeer(invitation);
    },
    (error: RtmError) => {
      const reason: LocalInvitationFailureReason =
        error.reason === 'NOT_LOGGED_IN' || error.reason === 'MESSAGE_WEBSOCKET_DISCONNECTED' || error.reason === 'CANCELLED' ? 'NOT_LOGGEDIN' : 'UNKNOWN';
      endLocal(host, invitation, 'FAILURE', 'LocalInvitationFailure', reason);
    },
  );
}

function receivedByPeer(invitation: LocalInvitation): void {
  if (invitation.state !== 'SENT_TO_REMOTE') return;
  (invitation as { state: string }).state = 'RECEIVED_BY_REMOTE';
  fire(invitation, 'LocalInvitationReceivedByPeer');
}

/** `LocalInvitation.cancel()` (the shell checked the state). */
export function cancel(host: InvitationHost, invitation: LocalInvitation): void {
  const id = of(host).ids.get(invitation);
  if (id === undefined) return;
  // A refusal means an answer or a failure got there first; its push tells the rest.
  void host.request((rid) => ({ t: 'invitation.cancel', id: rid, invitation: id })).then(
    () => endLocal(host, invitation, 'CANCELED', 'LocalInvitationCanceled'),
    () => {},
  );
}

/**
 * An incoming call invitation (Agora's `RemoteInvitation`), passed to `RemoteInvitationReceived`.
 * Every tab and device of the callee gets one; the first `accept()` or `refuse()` wins and the
 * others get `RemoteInvitationAnsweredElsewhere`.
 */
export class RemoteInvitation extends TypedEmitter<RemoteInvitationEvents> {
  /** Agora's `RemoteInvitationState`. */
  readonly state: RemoteInvitationState = 'INVITATION_RECEIVED';
  /** What `accept()` or `refuse()` sends the caller: at most 8 KB of UTF-8. */
  response = '';
  /** Set by a relayed answer: the `ref` the server will name when it was this one that won. */
  #ref: string | undefined;
  #answered = false;
  #accepting = false;

  /** Made by the client for a pushed invitation. @internal */
  constructor(
    private readonly host: InvitationHost,
    /** The caller's user id. */
    readonly callerId: string,
    /** The invitation's id (the caller's). @internal */
    readonly invitationId: string,
    /** The caller's content. */
    readonly content: string,
    /** The caller's channel id. */
    readonly channelId: string,
  ) {
    super();
  }

  /**
   * Accepts it (no result; follow the events). Throws INVITATION_ALREADY_ACCEPTED after an accept,
   * INVITATION_ALREADY_ENDED once refused, canceled or failed, INVALID_ARGUMENT for a `response`
   * over 8 KB.
   */
  accept(): void {
    this.#answer(true);
  }

  /** Refuses it (no result; follow the events). Throws as `accept()`. */
  refuse(): void {
    this.#answer(false);
  }

  #answer(accepted: boolean): void {
    if (this.#answered || this.state !== 'INVITATION_RECEIVED') {
      throw stateError(this.state, this.#accepting || this.state === 'ACCEPTED' ? 'INVITATION_ALREADY_ACCEPTED' : 'INVITATION_ALREADY_ENDED');
    }
    const response = this.response;
    if (typeof response !== 'string' || utf8ByteLength(response) > MAX_INVITATION_CONTENT_BYTES) {
      throw new RtmError('INVALID_ARGUMENT', `The response is a string of at most ${MAX_INVITATION_CONTENT_BYTES} bytes.`);
    }
    this.#answered = true;
    this.#accepting = accepted;
    if (accepted) this.#set('ACCEPT_SENT_TO_LOCAL');
    const t = accepted ? 'invitation.accept' : 'invitation.refuse';
    const { callerId: caller, invitationId: invitation } = this;
    this.host.request((id) => ({ t, id, caller, invitation, response })).then(
      ({ ref }) => {
        if (ref === undefined) return this.#won();
        // Relayed to the caller's node: its `invitation.answered` with this ref says we won.
        this.#ref = ref;
        setTimeout(() => this.#end('FAILURE', 'RemoteInvitationFailure', 'ACCEPT_FAILURE'), INVITATION_ACCEPT_TIMEOUT_MS);
      },
      () => this.#end('FAILURE', 'RemoteInvitationFailure', 'ACCEPT_FAILURE'),
    );
  }

  #won(): void {
    if (this.#accepting) this.#end('ACCEPTED', 'RemoteInvitationAccepted');
    else this.#end('REFUSED', 'RemoteInvitationRefused');
  }

  #set(state: RemoteInvitationState): void {
    (this as { state: RemoteInvitationState }).state = state;
  }

  /** Ends it once (later ends are ignored). @internal */
  #end(state: RemoteInvitationState, event: keyof RemoteInvitationEvents, arg?: unknown): void {
    if (this.state !== 'INVITATION_RECEIVED' && this.state !== 'ACCEPT_SENT_TO_LOCAL') return;
    of(this.host).remote.delete(`${this.callerId}\n${this.invitationId}`);
    this.#set(state);
    fire(this, event, ...(arg === undefined ? [] : [arg]));
  }

  /** A push about it. @internal */
  onFrame(frame: InvitationServerFrame): void {
    if (frame.t === 'invitation.canceled') this.#end('CANCELED', 'RemoteInvitationCanceled', frame.content);
    else if (frame.t === 'invitation.failed') this.#end('FAILURE', 'RemoteInvitationFailure', frame.reason);
    else if (frame.t === 'invitation.answered') {
      if (frame.ref !== undefined && frame.ref === this.#ref) this.#won();
      else if (this.#answered) this.#end('FAILURE', 'RemoteInvitationFailure', 'ACCEPT_FAILURE');
      else this.#end(frame.accepted ? 'ACCEPTED' : 'REFUSED', 'RemoteInvitationAnsweredElsewhere', frame.accepted);
    }
  }

  /** This client's connection went away. @internal */
  lost(): void {
    this.#end('FAILURE', 'RemoteInvitationFailure', 'PEER_OFFLINE');
  }
}

/** A pushed invitation frame (push-router.ts hands them here, in order). */
export function onFrame(host: InvitationHost, frame: InvitationServerFrame): void {
  const invitations = of(host);
  switch (frame.t) {
    case 'invitation': {
      const remote = new RemoteInvitation(host, frame.caller, frame.invitation, frame.content, frame.channelId);
      invitations.remote.set(`${frame.caller}\n${frame.invitation}`, remote);
      host.emit('RemoteInvitationReceived', remote);
      return;
    }
    case 'invitation.canceled':
    case 'invitation.answered':
      invitations.remote.get(`${frame.caller}\n${frame.invitation}`)?.onFrame(frame);
      return;
    case 'invitation.failed':
      if (frame.caller !== undefined) invitations.remote.get(`${frame.caller}\n${frame.invitation}`)?.onFrame(frame);
      else {
        const local = invitations.local.get(frame.invitation);
        if (local) endLocal(host, local, 'FAILURE', 'LocalInvitationFailure', frame.reason);
      }
      return;
    case 'invitation.received': {
      const local = invitations.local.get(frame.invitation);
      if (local) receivedByPeer(local);
      return;
    }
    case 'invitation.reply': {
      const local = invitations.local.get(frame.invitation);
      if (!local) return;
      (local as { response: string }).response = frame.response;
      endLocal(host, local, frame.accepted ? 'ACCEPTED_BY_REMOTE' : 'REFUSED_BY_REMOTE', frame.accepted ? 'LocalInvitationAccepted' : 'LocalInvitationRefused', frame.response);
      return;
    }
    case 'invitation.answer': {
      // An answer from a callee connection on another server node: pass it to ours, which decides.
      const { invitation, accepted, response, ref } = frame;
      if (invitations.local.has(invitation)) void host.request((id) => ({ t: 'invitation.settle', id, invitation, accepted, response, ref })).catch(() => {});
      return;
    }
  }
}

/** This client's connection went away: the server failed its invitations, so they fail here too. */
export function lost(host: InvitationHost): void {
  const invitations = of(host);
  for (const local of [...invitations.local.values()]) endLocal(host, local, 'FAILURE', 'LocalInvitationFailure', 'NOT_LOGGEDIN');
  for (const remote of [...invitations.remote.values()]) remote.lost();
}
