import type { ClientFrame, ReadState, ReplyFrame, ReplyResults, ServerFrame, StoredMessage } from '../../protocol/index.js';
import { createClientMessageId } from '../ids.js';
import { type WebSocketConstructor, type WebSocketLike } from '../socket.js';
import { LEADER_LEFT, type FromHub, type ToHub } from './tab-messages.js';

/** A request of a tab, sent on the shared socket under the hub's own request id. */
interface Forwarded {
  tab: string;
  frame: ClientFrame;
}

/**
 * Runs in the leader tab and holds the user's one WebSocket for all their tabs. Each tab's
 * client (this tab's too) keeps its whole logic (login, heartbeat, outbox, resend after
 * reconnect) and talks to the hub through a `TabSocket` as if it had its own connection:
 * - the first login goes to the server, later ones are answered from it; logout detaches a tab;
 * - requests are forwarded under hub request ids, replies routed back; pushes go to every tab;
 * - what the server would tell the user's *other* connections about a tab's own action (its
 *   sent message, its read marker) is told to the other tabs, since to the server they are one;
 * - a presence subscription ends only when no tab wants it any more;
 * - when the socket closes, every tab's socket closes with the same code, and each client
 *   reconnects (through this hub, or the next leader's) with its usual backoff.
 */
export class ConnectionHub {
  readonly id = createClientMessageId();
  readonly #link: BroadcastChannel;
  readonly #WebSocket: WebSocketConstructor;
  #socket: WebSocketLike | undefined;
  #url = '';
  /** Tabs with an open socket to this hub; the value says whether the tab is logged in. */
  readonly #tabs = new Map<string, boolean>();
  /** Login requests waiting for the socket's login, in arrival order. */
  #logins: { tab: string; frame: ClientFrame }[] = [];
  /** From the server's login reply once logged in: the user, the clock offset, the token expiry. */
  #login: { uid: string; offset: number; tokenExpiresAt: number } | undefined;
  readonly #forwarded = new Map<number, Forwarded>();
  #nextId = 1;
  /** Peers each tab follows the presence of. */
  readonly #presence = new Map<string, Set<string>>();

  constructor(name: string, WebSocket: WebSocketConstructor) {
    this.#WebSocket = WebSocket;
    this.#link = new BroadcastChannel(name);
    this.#link.onmessage = ({ data }: MessageEvent<ToHub>) => this.#fromTab(data);
    this.#post({ op: 'up', hub: this.id });
  }

  /** Stops being the hub: every tab's socket closes (they reconnect to the next leader). */
  close(): void {
    this.#logins = [];
    this.#dropSocket(LEADER_LEFT, 'leader tab left');
    this.#post({ op: 'closed', hub: this.id, code: LEADER_LEFT, reason: 'leader tab left' });
    this.#tabs.clear();
    this.#link.close();
  }

  #post(message: FromHub): void {
    this.#link.postMessage(message);
  }

  #toTab(tab: string, frame: ServerFrame): void {
    this.#post({ op: 'frame', hub: this.id, tab, data: JSON.stringify(frame) });
  }

  #fromTab(message: ToHub): void {
    if (message.op === 'open') {
      this.#url ||= message.url;
      this.#tabs.set(message.tab, false);
      this.#post({ op: 'opened', hub: this.id, tab: message.tab });
      return;
    }
    if (!this.#tabs.has(message.tab)) return;
    if (message.op === 'close') {
      const loggedIn = this.#tabs.get(message.tab);
      const loggingIn = !this.#login && this.#logins[0]?.tab === message.tab;
      this.#detach(message.tab);
      // A logged-in tab closing without logging out presumed the socket dead (no heartbeat or
      // reply in time), and one giving up on its login found no answer: then the socket is dead
      // for every tab.
      if ((loggedIn && this.#login) || loggingIn) this.#dropSocket(1006, 'presumed dead');
      return;
    }
    let frame: ClientFrame;
    try {
      frame = JSON.parse(message.data) as ClientFrame;
    } catch {
      return;
    }
    this.#request(message.tab, frame);
  }

  #request(tab: string, frame: ClientFrame): void {
    if (frame.t === 'login') {
      if (this.#login) this.#accept(tab, frame.id);
      else {
        this.#logins.push({ tab, frame });
        this.#nextLogin();
      }
      return;
    }
    if (!this.#tabs.get(tab) || !this.#login) return;
    if (frame.t === 'logout') {
      this.#toTab(tab, { t: 'reply', id: frame.id, ok: true, result: {} });
      this.#detach(tab);
      if (this.#tabs.size === 0) this.#dropSocket(1000, 'logout');
      return;
    }
    if (frame.t === 'presence.subscribe' || frame.t === 'presence.unsubscribe') {
      const mine = this.#presence.get(tab) ?? new Set<string>();
      this.#presence.set(tab, mine);
      for (const uid of frame.uids) frame.t === 'presence.subscribe' ? mine.add(uid) : mine.delete(uid);
      if (frame.t === 'presence.unsubscribe') {
        const unwanted = frame.uids.filter((uid) => !this.#wanted(uid));
        if (unwanted.length === 0) return this.#toTab(tab, { t: 'reply', id: frame.id, ok: true, result: {} });
        frame = { ...frame, uids: unwanted };
      }
    }
    this.#forward(tab, frame);
  }

  #forward(tab: string, frame: ClientFrame): void {
    const id = this.#nextId++;
    this.#forwarded.set(id, { tab, frame });
    this.#socket!.send(JSON.stringify({ ...frame, id }));
  }

  #wanted(uid: string): boolean {
    for (const uids of this.#presence.values()) if (uids.has(uid)) return true;
    return false;
  }

  /** A tab logged in on the shared socket: answer its login as the server did. */
  #accept(tab: string, requestId: number): void {
    if (!this.#tabs.has(tab)) return;
    this.#tabs.set(tab, true);
    const { uid, offset, tokenExpiresAt } = this.#login!;
    this.#toTab(tab, { t: 'reply', id: requestId, ok: true, result: { uid, serverTime: Date.now() + offset, tokenExpiresAt } });
  }

  #detach(tab: string): void {
    this.#tabs.delete(tab);
    this.#logins = this.#logins.filter((login) => login.tab !== tab);
    const uids = this.#presence.get(tab);
    this.#presence.delete(tab);
    for (const [id, forwarded] of this.#forwarded) if (forwarded.tab === tab) this.#forwarded.delete(id);
    const unwanted = [...(uids ?? [])].filter((uid) => !this.#wanted(uid));
    if (unwanted.length > 0 && this.#login) {
      this.#socket!.send(JSON.stringify({ t: 'presence.unsubscribe', id: this.#nextId++, uids: unwanted }));
    }
  }

  /** Opens the socket for the first waiting login (one login at a time). */
  #nextLogin(): void {
    if (this.#socket || this.#logins.length === 0) return;
    let ws: WebSocketLike;
    try {
      ws = new this.#WebSocket(this.#url);
    } catch {
      for (const { tab } of this.#logins) this.#closeTab(tab, 1006, 'could not open the socket');
      this.#logins = [];
      return;
    }
    this.#socket = ws;
    ws.onopen = () => {
      const first = this.#logins[0];
      if (first) ws.send(JSON.stringify({ ...first.frame, id: 0 }));
    };
    ws.onmessage = ({ data }) => {
      if (ws === this.#socket && typeof data === 'string') this.#fromServer(data);
    };
    ws.onclose = ({ code, reason }) => {
      if (ws === this.#socket) this.#socketClosed(code, reason);
    };
    ws.onerror = null;
  }

  #fromServer(data: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    const id = frame.t === 'reply' || frame.t === 'error' ? frame.id : undefined;
    if (id === 0 && !this.#login) return this.#onLogin(frame as ReplyFrame);
    const forwarded = id === undefined ? undefined : this.#forwarded.get(id);
    if (!forwarded) {
      // A push (or a reply for a tab that has gone): to every tab.
      if (id === undefined) this.#post({ op: 'frame', hub: this.id, data });
      return;
    }
    this.#forwarded.delete(id!);
    this.#toTab(forwarded.tab, { ...frame, id: forwarded.frame.id } as ServerFrame);
    if (frame.t === 'reply' && frame.ok) {
      if (forwarded.frame.t === 'renew') this.#login!.tokenExpiresAt = (frame.result as ReplyResults['renew']).tokenExpiresAt;
      const told = this.#toOtherConnections(forwarded.frame, frame.result);
      if (told) this.#post({ op: 'frame', hub: this.id, skip: forwarded.tab, data: JSON.stringify(told) });
    }
  }

  /** The push the server sends a user's other connections after this request, if any. */
  #toOtherConnections(frame: ClientFrame, result: unknown): ServerFrame | undefined {
    const uid = this.#login!.uid;
    if (frame.t === 'read') return { ...(result as ReadState), t: 'read.updated' };
    if (frame.t !== 'peer.send' && frame.t !== 'channel.send') return undefined;
    const ack = result as { messageId: string; seq: number; ts: number };
    // The send options ride along as the tab sent them (undefined ones vanish in JSON; a default
    // `true` / `false` that the server would leave out is harmless: readers test for the other value).
    const flags = { transient: frame.transient, needReadReceipt: frame.needReadReceipt } as Pick<StoredMessage, 'transient' | 'needReadReceipt'>;
    const message: StoredMessage = { id: ack.messageId, seq: ack.seq, ts: ack.ts, from: uid, cmid: frame.cmid, message: frame.message, ...flags };
    return frame.t === 'peer.send'
      ? { t: 'peer.message', message: { ...message, to: frame.to }, offline: false }
      : { t: 'channel.message', message: { ...message, channel: frame.channel } };
  }

  #onLogin(frame: ReplyFrame | Extract<ServerFrame, { t: 'error' }>): void {
    const first = this.#logins.shift();
    if (!first) return;
    if (frame.t === 'reply' && frame.ok) {
      const { uid, serverTime, tokenExpiresAt } = frame.result as ReplyResults['login'];
      this.#login = { uid, offset: serverTime - Date.now(), tokenExpiresAt };
      this.#accept(first.tab, first.frame.id);
      for (const { tab, frame: login } of this.#logins.splice(0)) this.#accept(tab, login.id);
      return;
    }
    // Refused (that tab's token, say): tell that tab; the server closes the socket next, and the
    // next waiting login gets a new one.
    this.#toTab(first.tab, { ...frame, id: first.frame.id } as ServerFrame);
  }

  #socketClosed(code: number, reason: string): void {
    const wasLoggedIn = this.#login !== undefined;
    this.#socket = undefined;
    this.#login = undefined;
    this.#forwarded.clear();
    this.#presence.clear();
    if (wasLoggedIn) {
      for (const tab of this.#tabs.keys()) this.#closeTab(tab, code, reason);
    } else {
      this.#nextLogin();
    }
  }

  #closeTab(tab: string, code: number, reason: string): void {
    this.#tabs.delete(tab);
    this.#post({ op: 'closed', hub: this.id, tab, code, reason });
  }

  #dropSocket(code: number, reason: string): void {
    const ws = this.#socket;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close(1000, reason);
    this.#socketClosed(code, reason);
  }
}
