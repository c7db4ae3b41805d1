import { sendEncodedOnce, type RoutedConnection } from '../presence-router.js';

// '\n' is outside the id charset, so composite keys cannot collide.
export const userKeyOf = (appId: string, uid: string) => `${appId}\n${uid}`;
export const channelKeyOf = (appId: string, channel: string) => `${appId}\n${channel}`;

/**
 * This node's own connections: who is attached, which channels each joined, who follows whose
 * status. Only bookkeeping; the cluster router decides what to announce and to whom.
 */
export class LocalConnections {
  /** user key → that user's connections here. */
  readonly users = new Map<string, Set<RoutedConnection>>();
  /** channel key → uid → that uid's joined connections here. */
  readonly channels = new Map<string, Map<string, Set<RoutedConnection>>>();
  /** connection → channel names it joined. */
  readonly joined = new Map<RoutedConnection, Set<string>>();
  /** user key → connections here following that user's status. */
  readonly watchers = new Map<string, Set<RoutedConnection>>();
  /** connection → user keys it follows. */
  readonly watching = new Map<RoutedConnection, Set<string>>();

  /** Adds a connection; returns the user's connection count here. */
  attach(conn: RoutedConnection): number {
    const userKey = userKeyOf(conn.appId, conn.uid);
    let conns = this.users.get(userKey);
    if (!conns) this.users.set(userKey, (conns = new Set()));
    conns.add(conn);
    this.joined.set(conn, new Set());
    return conns.size;
  }

  /** Removes a connection that is no longer joined anywhere; returns the count left, or -1 if unknown. */
  detach(conn: RoutedConnection): number {
    this.joined.delete(conn);
    for (const userKey of this.watching.get(conn) ?? []) this.unwatch(conn, userKey);
    this.watching.delete(conn);
    const userKey = userKeyOf(conn.appId, conn.uid);
    const conns = this.users.get(userKey);
    if (!conns?.delete(conn)) return -1;
    if (conns.size === 0) this.users.delete(userKey);
    return conns.size;
  }

  /** Joins; returns the uid's joined-connection count here, or undefined when not attached. */
  join(conn: RoutedConnection, channel: string): number | undefined {
    const joined = this.joined.get(conn);
    if (!joined) return undefined;
    const channelKey = channelKeyOf(conn.appId, channel);
    let byUid = this.channels.get(channelKey);
    if (!byUid) this.channels.set(channelKey, (byUid = new Map()));
    let conns = byUid.get(conn.uid);
    if (!conns) byUid.set(conn.uid, (conns = new Set()));
    conns.add(conn);
    joined.add(channel);
    return conns.size;
  }

  /** Leaves; returns the uid's joined-connection count left here, or undefined when not joined. */
  leave(conn: RoutedConnection, channel: string): number | undefined {
    if (!this.joined.get(conn)?.delete(channel)) return undefined;
    const channelKey = channelKeyOf(conn.appId, channel);
    const byUid = this.channels.get(channelKey);
    const conns = byUid?.get(conn.uid);
    conns?.delete(conn);
    const left = conns?.size ?? 0;
    if (byUid && left === 0) {
      byUid.delete(conn.uid);
      if (byUid.size === 0) this.channels.delete(channelKey);
    }
    return left;
  }

  channelConnections(channelKey: string): RoutedConnection[] {
    const all: RoutedConnection[] = [];
    for (const conns of this.channels.get(channelKey)?.values() ?? []) all.push(...conns);
    return all;
  }

  watch(conn: RoutedConnection, userKey: string): void {
    let watching = this.watching.get(conn);
    if (!watching) this.watching.set(conn, (watching = new Set()));
    watching.add(userKey);
    let watchers = this.watchers.get(userKey);
    if (!watchers) this.watchers.set(userKey, (watchers = new Set()));
    watchers.add(conn);
  }

  unwatch(conn: RoutedConnection, userKey: string): void {
    const watchers = this.watchers.get(userKey);
    watchers?.delete(conn);
    if (watchers?.size === 0) this.watchers.delete(userKey);
  }
}

/** Sends one serialized frame to every connection but `except` (encoded once); returns how many got it. */
export function sendTextAll(conns: Iterable<RoutedConnection>, text: string, except?: RoutedConnection): number {
  return sendEncodedOnce(conns, () => text, except);
}

/** Resolves true once any connection confirms; false when all said no (or there are none). */
export function anyConfirms(conns: readonly RoutedConnection[], timeoutMs: number): Promise<boolean> {
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
