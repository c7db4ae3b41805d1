import { RtmError, type PeerStatus, type ServerFrame } from '../../protocol/index.js';

/**
 * Most users one connection may follow with `presence.subscribe` at a time (over any number of
 * requests), so one client cannot make the server hold an unbounded set.
 */
export const MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION = 1024;

/** A logged-in connection, as routing sees it. */
/** A server frame as JSON: a string, or its UTF-8 bytes (sent as a text frame all the same). */
export type SerializedFrame = string | Buffer;

export interface RoutedConnection {
  readonly id: number;
  readonly appId: string;
  readonly uid: string;
  /**
   * Sends an already serialized text frame. Fan-out serializes once and passes the UTF-8 bytes,
   * so the frame is not encoded again for every member.
   */
  sendText(text: SerializedFrame): void;
  /** Resolves true once the client proved it received everything sent so far; false on timeout or close. */
  confirmReceived(timeoutMs: number): Promise<boolean>;
}

/**
 * The router: who is online, who joined which channel, and delivery to their connections. The
 * gateway and the REST API only talk to this interface, so a later multi-node version can implement
 * it over Redis pub/sub. Channel membership
 * is per connection; the members of a channel are the distinct uids with at least one joined
 * connection. Membership changes are announced here (`channel.member_joined` / `member_left`).
 * (Persistent channel membership, for receipts and unread counts, is in storage.)
 *
 * Online status: a user is ONLINE while they have at least one attached connection. Connections
 * may subscribe to users' status; their first connection coming up and their last one going down
 * are pushed to subscribers as `presence` frames. Subscriptions end with the subscribing connection.
 */
export interface PresenceRouter {
  /** Starts routing to a connection that has just logged in (announcing ONLINE if it is the user's first). */
  attach(conn: RoutedConnection): void;
  /**
   * Stops routing to a closed connection, removes it from its channels (announcing leaves), drops
   * its subscriptions, and announces OFFLINE if it was the user's last connection.
   */
  detach(conn: RoutedConnection): void;
  /** ONLINE or OFFLINE for each uid. */
  status(appId: string, uids: readonly string[]): Record<string, PeerStatus>;
  /**
   * Pushes `presence` frames to `conn` for these users from now on; returns their status now.
   * Throws INVALID_ARGUMENT when the connection would follow more than
   * {@link MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION} users.
   */
  subscribe(conn: RoutedConnection, uids: readonly string[]): Record<string, PeerStatus>;
  /** Stops those pushes (users not followed are ignored). */
  unsubscribe(conn: RoutedConnection, uids: readonly string[]): void;
  /** Whether `uid` has an open connection, not counting `except`. */
  isOnline(appId: string, uid: string, except?: RoutedConnection): boolean;
  /** Sends to every connection of `uid` except `except`; returns how many got it. */
  sendToUser(appId: string, uid: string, frame: ServerFrame, except?: RoutedConnection): number;
  /**
   * Resolves true once some connection of `uid` confirms it received everything sent to it so far
   * (call it right after `sendToUser`, in the same tick, to confirm that frame); false when the user
   * has no connection or none confirms within `timeoutMs`. REST `wait_for_ack` uses it.
   */
  confirmReceived(appId: string, uid: string, timeoutMs: number): Promise<boolean>;
  /** Joins (idempotent); returns the members after joining. */
  join(conn: RoutedConnection, channel: string): string[];
  /** Leaves; false when the connection had not joined. */
  leave(conn: RoutedConnection, channel: string): boolean;
  isJoined(conn: RoutedConnection, channel: string): boolean;
  /** Member uids, sorted. */
  members(appId: string, channel: string): string[];
  /** Sends to every joined connection of the channel except `except`; returns how many got it. */
  sendToChannel(appId: string, channel: string, frame: ServerFrame, except?: RoutedConnection): number;
}

// '\n' is outside the id charset, so composite keys cannot collide.
const key = (appId: string, name: string) => `${appId}\n${name}`;

/** Single-node router: everything in this process's memory. */
export class InMemoryPresenceRouter implements PresenceRouter {
  /** app+uid → that user's open connections. */
  readonly #users = new Map<string, Set<RoutedConnection>>();
  /** app+channel → uid → that user's joined connections. */
  readonly #channels = new Map<string, Map<string, Set<RoutedConnection>>>();
  /** connection → channels it joined. */
  readonly #joined = new Map<RoutedConnection, Set<string>>();
  /** app+uid → connections following that user's status. */
  readonly #watchers = new Map<string, Set<RoutedConnection>>();
  /** connection → app+uid keys it follows. */
  readonly #watching = new Map<RoutedConnection, Set<string>>();

  attach(conn: RoutedConnection): void {
    const userKey = key(conn.appId, conn.uid);
    let conns = this.#users.get(userKey);
    const first = !conns;
    if (!conns) this.#users.set(userKey, (conns = new Set()));
    conns.add(conn);
    this.#joined.set(conn, new Set());
    if (first) this.#announce(userKey, conn.uid, 'ONLINE');
  }

  detach(conn: RoutedConnection): void {
    for (const channel of [...(this.#joined.get(conn) ?? [])]) this.leave(conn, channel);
    this.#joined.delete(conn);
    for (const userKey of this.#watching.get(conn) ?? []) this.#unwatch(conn, userKey);
    this.#watching.delete(conn);
    const userKey = key(conn.appId, conn.uid);
    const conns = this.#users.get(userKey);
    if (!conns?.delete(conn)) return;
    if (conns.size === 0) {
      this.#users.delete(userKey);
      this.#announce(userKey, conn.uid, 'OFFLINE');
    }
  }

  status(appId: string, uids: readonly string[]): Record<string, PeerStatus> {
    // Null prototype: "__proto__" is a valid uid, and an object literal would take it as its prototype.
    const status: Record<string, PeerStatus> = Object.create(null);
    for (const uid of uids) status[uid] = this.#users.has(key(appId, uid)) ? 'ONLINE' : 'OFFLINE';
    return status;
  }

  subscribe(conn: RoutedConnection, uids: readonly string[]): Record<string, PeerStatus> {
    let watching = this.#watching.get(conn);
    const added = uids.map((uid) => key(conn.appId, uid)).filter((userKey) => !watching?.has(userKey));
    if ((watching?.size ?? 0) + new Set(added).size > MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION) {
      throw new RtmError(
        'INVALID_ARGUMENT',
        `A connection may follow at most ${MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION} users; unsubscribe from some first.`,
      );
    }
    if (!watching) this.#watching.set(conn, (watching = new Set()));
    for (const userKey of added) {
      watching.add(userKey);
      let watchers = this.#watchers.get(userKey);
      if (!watchers) this.#watchers.set(userKey, (watchers = new Set()));
      watchers.add(conn);
    }
    return this.status(conn.appId, uids);
  }

  unsubscribe(conn: RoutedConnection, uids: readonly string[]): void {
    const watching = this.#watching.get(conn);
    if (!watching) return;
    for (const uid of uids) {
      const userKey = key(conn.appId, uid);
      if (watching.delete(userKey)) this.#unwatch(conn, userKey);
    }
    if (watching.size === 0) this.#watching.delete(conn);
  }

  #unwatch(conn: RoutedConnection, userKey: string): void {
    const watchers = this.#watchers.get(userKey);
    watchers?.delete(conn);
    if (watchers?.size === 0) this.#watchers.delete(userKey);
  }

  #announce(userKey: string, uid: string, status: PeerStatus): void {
    sendAll(this.#watchers.get(userKey) ?? [], { t: 'presence', uid, status }, undefined);
  }

  isOnline(appId: string, uid: string, except?: RoutedConnection): boolean {
    const conns = this.#users.get(key(appId, uid));
    if (!conns) return false;
    return conns.size > (except && conns.has(except) ? 1 : 0);
  }

  sendToUser(appId: string, uid: string, frame: ServerFrame, except?: RoutedConnection): number {
    return sendAll(this.#users.get(key(appId, uid)) ?? [], frame, except);
  }

  confirmReceived(appId: string, uid: string, timeoutMs: number): Promise<boolean> {
    const conns = [...(this.#users.get(key(appId, uid)) ?? [])];
    if (conns.length === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let pending = conns.length;
      for (const conn of conns) {
        void conn.confirmReceived(timeoutMs).then((received) => {
          if (received) resolve(true);
          else if (--pending === 0) resolve(false);
        });
      }
    });
  }

  join(conn: RoutedConnection, channel: string): string[] {
    const joined = this.#joined.get(conn);
    if (!joined) throw new Error('join() on a connection that is not attached');
    const channelKey = key(conn.appId, channel);
    let byUid = this.#channels.get(channelKey);
    if (!byUid) this.#channels.set(channelKey, (byUid = new Map()));
    let conns = byUid.get(conn.uid);
    if (!conns) {
      // The uid's first connection in the channel: the uid becomes a member.
      this.sendToChannel(conn.appId, channel, { t: 'channel.member_joined', channel, uid: conn.uid });
      byUid.set(conn.uid, (conns = new Set()));
    }
    conns.add(conn);
    joined.add(channel);
    return this.members(conn.appId, channel);
  }

  leave(conn: RoutedConnection, channel: string): boolean {
    const joined = this.#joined.get(conn);
    if (!joined?.delete(channel)) return false;
    const channelKey = key(conn.appId, channel);
    const byUid = this.#channels.get(channelKey);
    const conns = byUid?.get(conn.uid);
    conns?.delete(conn);
    if (byUid && conns?.size === 0) {
      // The uid's last connection left: the uid is no longer a member.
      byUid.delete(conn.uid);
      if (byUid.size === 0) this.#channels.delete(channelKey);
      else this.sendToChannel(conn.appId, channel, { t: 'channel.member_left', channel, uid: conn.uid });
    }
    return true;
  }

  isJoined(conn: RoutedConnection, channel: string): boolean {
    return this.#joined.get(conn)?.has(channel) ?? false;
  }

  members(appId: string, channel: string): string[] {
    return [...(this.#channels.get(key(appId, channel))?.keys() ?? [])].sort();
  }

  sendToChannel(appId: string, channel: string, frame: ServerFrame, except?: RoutedConnection): number {
    const byUid = this.#channels.get(key(appId, channel));
    if (!byUid) return 0;
    const all: RoutedConnection[] = [];
    for (const conns of byUid.values()) all.push(...conns);
    return sendAll(all, frame, except);
  }
}

function sendAll(conns: Iterable<RoutedConnection>, frame: ServerFrame, except: RoutedConnection | undefined): number {
  return sendEncodedOnce(conns, () => JSON.stringify(frame), except);
}

/**
 * Sends one frame to every connection but `except`; returns how many got it. The frame is
 * serialized and encoded to UTF-8 once for all of them (a channel of 200 would otherwise encode
 * it 200 times), and only when someone gets it.
 */
export function sendEncodedOnce(conns: Iterable<RoutedConnection>, serialize: () => string, except?: RoutedConnection): number {
  let bytes: Buffer | undefined;
  let count = 0;
  for (const conn of conns) {
    if (conn === except) continue;
    bytes ??= Buffer.from(serialize());
    conn.sendText(bytes);
    count++;
  }
  return count;
}
