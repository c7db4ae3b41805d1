import {
  INVITATION_CHECK_INTERVAL_MS,
  INVITATION_EXPIRE_MS,
  INVITATION_OFFLINE_TIMEOUT_MS,
  RtmError,
  type LocalInvitationFailureReason,
  type RemoteInvitationFailureReason,
  type ServerFrame,
} from '../../protocol/index.js';
import type { PresenceRouter, RoutedConnection } from './presence-router.js';

/**
 * The open call invitations of this server node, in memory only (as in Agora, an invitation is
 * live: it is never stored, and a restart forgets it). One job: each invitation's state, its
 * first-answer-wins decision and its deadlines.
 *
 * Where it lives in a cluster: on the caller's node, with the caller's connection (the one that
 * sent it, which owns the LocalInvitation). Pushes to the callee go through
 * `presence.sendToUser`, so they reach the callee's connections on every node. An answer that
 * arrives on the caller's node is decided here at once. An answer that arrives on another node
 * cannot be: that node has no record, and the presence router only addresses users, not nodes. So
 * it travels as a user-addressed push (`invitation.answer`) to the caller's connections; the
 * caller's client passes it back with `invitation.settle`, and this registry decides it like a
 * local one, telling the callee's connections which answer won (its `ref`). One decision for the
 * whole cluster, without any state shared in Redis — the same round trip Agora's own protocol
 * makes (the callee's ACCEPT_SENT_TO_LOCAL until the caller's side confirms).
 */

type State = 'pending' | 'accepted' | 'refused' | 'canceled' | 'failed';

interface Entry {
  readonly key: string;
  readonly appId: string;
  readonly caller: string;
  readonly callee: string;
  readonly invitation: string;
  readonly content: string;
  readonly channelId: string;
  /** The caller's connection that sent it. */
  readonly conn: RoutedConnection;
  readonly sentAt: number;
  /** Some connection of the callee has it. */
  delivered: boolean;
  state: State;
  /** When an ended entry is forgotten (kept till then so late requests get the right error). */
  forgetAt: number;
}

/** Who answered: the callee's connection on this node, or the ref of an answer relayed from another. */
export type Answerer = { conn: RoutedConnection } | { ref: string };

const keyOf = (appId: string, caller: string, invitation: string) => `${appId}\n${caller}\n${invitation}`;

export class InvitationRegistry {
  readonly #entries = new Map<string, Entry>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly presence: PresenceRouter,
    private readonly now: () => number,
  ) {}

  /** Starts an invitation; returns whether a callee connection got it now. */
  send(conn: RoutedConnection, invitation: string, callee: string, content: string, channelId: string): boolean {
    const { appId, uid: caller } = conn;
    if (callee === caller) throw new RtmError('INVITATION_TO_SELF', 'A call invitation goes to another user.');
    const key = keyOf(appId, caller, invitation);
    const existing = this.#entries.get(key);
    if (existing) this.#check(existing);
    if (this.#entries.get(key)?.state === 'pending') {
      throw new RtmError('INVITATION_ALREADY_SENT', `Invitation "${invitation}" is open already; use another id.`);
    }
    const entry: Entry = { key, appId, caller, callee, invitation, content, channelId, conn, sentAt: this.now(), delivered: false, state: 'pending', forgetAt: Infinity };
    this.#entries.set(key, entry);
    this.#deliver(entry);
    this.#timer ??= setInterval(() => this.#tick(), INVITATION_CHECK_INTERVAL_MS);
    this.#timer.unref?.();
    return entry.delivered;
  }

  /** Whether this node holds the invitation (open or recently ended). */
  has(appId: string, caller: string, invitation: string): boolean {
    return this.#entries.has(keyOf(appId, caller, invitation));
  }

  /** The caller cancels: every connection of the callee hears of it. */
  cancel(conn: RoutedConnection, invitation: string): void {
    const entry = this.#open(conn.appId, conn.uid, invitation, (e) => e.conn === conn);
    this.#end(entry, 'canceled');
    this.presence.sendToUser(entry.appId, entry.callee, { t: 'invitation.canceled', caller: entry.caller, invitation, content: entry.content });
  }

  /**
   * An answer from `callee`: the first one wins; the caller gets it, and all the callee's
   * connections hear it was answered (a relayed answer's tell theirs apart by `ref`). A later answer, or one after a cancel, is refused and changes nothing.
   */
  answer(appId: string, caller: string, invitation: string, callee: string, accepted: boolean, response: string, by: Answerer): void {
    const entry = this.#open(appId, caller, invitation, (e) => e.callee === callee);
    this.#end(entry, accepted ? 'accepted' : 'refused');
    send(entry.conn, { t: 'invitation.reply', invitation, accepted, response });
    const answered: ServerFrame = { t: 'invitation.answered', caller, invitation, accepted, ...('ref' in by && { ref: by.ref }) };
    // Every connection of the callee, the answering one too: tabs that share one connection
    // (client/tabs) each have a prompt to close. A microtask later, so the answering connection
    // has its reply first and knows the push is about its own answer.
    queueMicrotask(() => this.presence.sendToUser(appId, callee, answered));
  }

  /** The answer's callee, for `invitation.settle` (the caller's own connection passing an answer on). */
  calleeOf(conn: RoutedConnection, invitation: string): string {
    return this.#open(conn.appId, conn.uid, invitation, (e) => e.conn === conn).callee;
  }

  /** The caller's connection closed: its open invitations fail for their callees. */
  connectionClosed(conn: RoutedConnection): void {
    for (const entry of this.#entries.values()) {
      if (entry.conn === conn && entry.state === 'pending') this.#fail(entry, undefined, 'PEER_OFFLINE');
    }
  }

  /** Stops the timer (server close). */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#entries.clear();
  }

  /** The entry, checked for deadlines; refused with the error a late request deserves. */
  #open(appId: string, caller: string, invitation: string, mine: (entry: Entry) => boolean): Entry {
    const entry = this.#entries.get(keyOf(appId, caller, invitation));
    if (!entry || !mine(entry)) throw new RtmError('INVITATION_NOT_FOUND', `No call invitation "${invitation}" from ${caller} to you.`);
    this.#check(entry);
    if (entry.state === 'accepted') throw new RtmError('INVITATION_ALREADY_ACCEPTED', 'This call invitation was accepted already.');
    if (entry.state !== 'pending') throw new RtmError('INVITATION_ALREADY_ENDED', `This call invitation was ${entry.state} already.`);
    return entry;
  }

  #deliver(entry: Entry): void {
    const { appId, callee, caller, invitation, content, channelId } = entry;
    entry.delivered = this.presence.sendToUser(appId, callee, { t: 'invitation', caller, invitation, content, channelId }) > 0;
  }

  #end(entry: Entry, state: State): void {
    entry.state = state;
    entry.forgetAt = this.now() + INVITATION_EXPIRE_MS;
  }

  /** Fails it: the caller with `callerReason`, the callee's connections with `calleeReason` (when they had it). */
  #fail(entry: Entry, callerReason: LocalInvitationFailureReason | undefined, calleeReason: RemoteInvitationFailureReason | undefined): void {
    this.#end(entry, 'failed');
    const { invitation, caller } = entry;
    if (callerReason) send(entry.conn, { t: 'invitation.failed', invitation, reason: callerReason });
    if (calleeReason && entry.delivered) {
      try {
        this.presence.sendToUser(entry.appId, entry.callee, { t: 'invitation.failed', caller, invitation, reason: calleeReason });
      } catch {
        // Cross-node routing down: the callee's client fails it itself when its own deadline passes.
      }
    }
  }

  /** Applies the deadlines and the callee's presence to an open entry; forgets an old ended one. */
  #check(entry: Entry): void {
    const now = this.now();
    if (entry.state !== 'pending') {
      if (now >= entry.forgetAt) this.#entries.delete(entry.key);
      return;
    }
    if (!entry.delivered) {
      if (now - entry.sentAt >= INVITATION_OFFLINE_TIMEOUT_MS) return this.#fail(entry, 'PEER_OFFLINE', undefined);
      this.#deliver(entry);
      if (entry.delivered) send(entry.conn, { t: 'invitation.received', invitation: entry.invitation });
      return;
    }
    if (now - entry.sentAt >= INVITATION_EXPIRE_MS) return this.#fail(entry, 'INVITATION_EXPIRE', 'INVITATION_EXPIRE');
    // Every connection of the callee gone: nobody is left to answer.
    if (!this.presence.isOnline(entry.appId, entry.callee)) this.#fail(entry, 'PEER_OFFLINE', undefined);
  }

  #tick(): void {
    for (const entry of [...this.#entries.values()]) {
      try {
        this.#check(entry);
      } catch {
        // Cross-node routing down (ClusterUnavailableError): try again on the next tick.
      }
    }
    if (this.#entries.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

function send(conn: RoutedConnection, frame: ServerFrame): void {
  conn.sendText(JSON.stringify(frame));
}
