import { atom } from 'nanostores';
import type { RemoteInvitation } from '../../client/index.js';
import type { SessionContext } from '../session/context.js';

/** An incoming call invitation waiting for this user's answer. */
export interface ChatInvitation {
  /** Stable while it waits: the caller and the caller's invitation id. */
  readonly id: string;
  /** The caller's user id. */
  readonly from: string;
  /** The channel the caller named for the call (Agora's `channelId`; may be empty). */
  readonly channelId: string;
  /** The caller's content (may be empty). */
  readonly content: string;
}

/**
 * What became of an invitation, for the page (`invitation` store events): it arrived, this user
 * accepted or refused it (confirmed by the caller's side), the caller canceled it, another tab or
 * device of this user answered it, or it failed (`reason` is Agora's
 * RemoteInvitationFailureReason: PEER_OFFLINE, INVITATION_EXPIRE, ACCEPT_FAILURE).
 */
export type ChatInvitationState = 'received' | 'accepted' | 'refused' | 'canceled' | 'answered-elsewhere' | 'failed';

/** Incoming call invitations: listed while they wait, reported as they end. */
export class InvitationsState {
  readonly $invitations = atom<readonly ChatInvitation[]>([]);
  readonly #session: SessionContext;
  readonly #pending = new Map<string, RemoteInvitation>();

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /** The client's RemoteInvitationReceived. */
  received(remote: RemoteInvitation): void {
    const invitation: ChatInvitation = {
      id: `${remote.callerId}\n${remote.invitationId}`,
      from: remote.callerId,
      channelId: remote.channelId,
      content: remote.content,
    };
    const end = (state: ChatInvitationState, reason?: string) => {
      if (!this.#pending.delete(invitation.id)) return;
      this.$invitations.set(this.$invitations.get().filter((waiting) => waiting.id !== invitation.id));
      this.#report(invitation, state, reason);
    };
    remote
      .on('RemoteInvitationAccepted', () => end('accepted'))
      .on('RemoteInvitationRefused', () => end('refused'))
      .on('RemoteInvitationCanceled', () => end('canceled'))
      .on('RemoteInvitationAnsweredElsewhere', () => end('answered-elsewhere'))
      .on('RemoteInvitationFailure', (reason) => end('failed', reason));
    this.#pending.set(invitation.id, remote);
    this.$invitations.set([...this.$invitations.get(), invitation]);
    this.#report(invitation, 'received');
  }

  /**
   * Accepts or refuses a waiting invitation (with an optional response for the caller). Its end
   * is reported when the caller's side confirms; an unknown or ended one throws
   * INVITATION_ALREADY_ENDED from the client, or is ignored when no longer listed.
   */
  answer(id: string, accept: boolean, response = ''): void {
    const remote = this.#pending.get(id);
    if (!remote) return;
    remote.response = response;
    if (accept) remote.accept();
    else remote.refuse();
    // The prompt goes at once; the outcome follows as an event.
    this.$invitations.set(this.$invitations.get().filter((waiting) => waiting.id !== id));
  }

  /** The session stopped: nothing waits any more (the client fails them for the caller). */
  clear(): void {
    this.#pending.clear();
    this.$invitations.set([]);
  }

  #report(invitation: ChatInvitation, state: ChatInvitationState, reason?: string): void {
    this.#session.events.emit({ type: 'invitation', invitation, state, ...(reason !== undefined && { reason }) });
  }
}
