/**
 * One node's picture of the whole cluster: for every node (this one included), how many
 * connections each user has there and how many joined connections each channel member has there.
 * Pure bookkeeping, no I/O: the Redis router feeds it from its own changes, from pub/sub events and
 * from the snapshot read at start, and answers the synchronous router reads from it.
 *
 * Counts are absolute per node ("alice has 2 connections on node B"), never deltas, so an event
 * applied twice, or a snapshot and an event that overlap, leave the same state.
 *
 * Keys are opaque strings built by the caller (app + uid, app + channel); a member is a uid.
 */
export interface UserChange {
  userKey: string;
  /** Total connections of the user over every node, before and after. */
  before: number;
  after: number;
}

export interface MemberChange {
  channelKey: string;
  uid: string;
  /** Total joined connections of the uid in the channel over every node, before and after. */
  before: number;
  after: number;
}

/** What one node holds: user key → connections; channel key → uid → joined connections. */
export interface NodeState {
  users: Map<string, number>;
  channels: Map<string, Map<string, number>>;
}

export class ClusterView {
  readonly #nodes = new Map<string, NodeState>();
  /** user key → node → connections (the index the reads use). */
  readonly #users = new Map<string, Map<string, number>>();
  /** channel key → uid → node → joined connections. */
  readonly #channels = new Map<string, Map<string, Map<string, number>>>();

  nodeIds(): string[] {
    return [...this.#nodes.keys()];
  }

  hasNode(node: string): boolean {
    return this.#nodes.has(node);
  }

  /** Sets the user's connection count on a node; returns the cluster-wide change. */
  setUser(node: string, userKey: string, count: number): UserChange {
    const before = this.userCount(userKey);
    const state = this.#node(node);
    let byNode = this.#users.get(userKey);
    if (count > 0) {
      state.users.set(userKey, count);
      if (!byNode) this.#users.set(userKey, (byNode = new Map()));
      byNode.set(node, count);
    } else {
      state.users.delete(userKey);
      byNode?.delete(node);
      if (byNode?.size === 0) this.#users.delete(userKey);
    }
    return { userKey, before, after: this.userCount(userKey) };
  }

  /** Sets a uid's joined-connection count in a channel on a node; returns the cluster-wide change. */
  setMember(node: string, channelKey: string, uid: string, count: number): MemberChange {
    const before = this.memberCount(channelKey, uid);
    const state = this.#node(node);
    let nodeMembers = state.channels.get(channelKey);
    let byUid = this.#channels.get(channelKey);
    let byNode = byUid?.get(uid);
    if (count > 0) {
      if (!nodeMembers) state.channels.set(channelKey, (nodeMembers = new Map()));
      nodeMembers.set(uid, count);
      if (!byUid) this.#channels.set(channelKey, (byUid = new Map()));
      if (!byNode) byUid.set(uid, (byNode = new Map()));
      byNode.set(node, count);
    } else {
      nodeMembers?.delete(uid);
      if (nodeMembers?.size === 0) state.channels.delete(channelKey);
      byNode?.delete(node);
      if (byNode?.size === 0) byUid?.delete(uid);
      if (byUid?.size === 0) this.#channels.delete(channelKey);
    }
    return { channelKey, uid, before, after: this.memberCount(channelKey, uid) };
  }

  /**
   * Replaces everything known about a node (a snapshot, or a node that re-announced itself);
   * an empty state forgets the node. Returns every cluster-wide change it caused.
   */
  replaceNode(node: string, next: NodeState): { users: UserChange[]; members: MemberChange[] } {
    const users: UserChange[] = [];
    const members: MemberChange[] = [];
    const current = this.#nodes.get(node);
    // Removals first, then the new counts: a user present in both only changes count.
    for (const userKey of [...(current?.users.keys() ?? [])]) {
      if (!next.users.has(userKey)) users.push(this.setUser(node, userKey, 0));
    }
    for (const [channelKey, uids] of [...(current?.channels ?? [])]) {
      for (const uid of [...uids.keys()]) {
        if (!next.channels.get(channelKey)?.has(uid)) members.push(this.setMember(node, channelKey, uid, 0));
      }
    }
    for (const [userKey, count] of next.users) users.push(this.setUser(node, userKey, count));
    for (const [channelKey, uids] of next.channels) {
      for (const [uid, count] of uids) members.push(this.setMember(node, channelKey, uid, count));
    }
    if (next.users.size === 0 && next.channels.size === 0) this.#nodes.delete(node);
    return { users, members };
  }

  /** Forgets a node (it stopped or died); returns the cluster-wide changes. */
  dropNode(node: string): { users: UserChange[]; members: MemberChange[] } {
    const changes = this.replaceNode(node, { users: new Map(), channels: new Map() });
    this.#nodes.delete(node);
    return changes;
  }

  userCount(userKey: string): number {
    let total = 0;
    for (const count of this.#users.get(userKey)?.values() ?? []) total += count;
    return total;
  }

  /** Connections of the user on nodes other than `node`. */
  userCountElsewhere(userKey: string, node: string): number {
    let total = 0;
    for (const [other, count] of this.#users.get(userKey) ?? []) if (other !== node) total += count;
    return total;
  }

  /** Nodes other than `node` holding a connection of the user. */
  nodesWithUser(userKey: string, except: string): string[] {
    return [...(this.#users.get(userKey)?.keys() ?? [])].filter((node) => node !== except);
  }

  memberCount(channelKey: string, uid: string): number {
    let total = 0;
    for (const count of this.#channels.get(channelKey)?.get(uid)?.values() ?? []) total += count;
    return total;
  }

  /** Member uids of a channel over every node, sorted. */
  members(channelKey: string): string[] {
    return [...(this.#channels.get(channelKey)?.keys() ?? [])].sort();
  }

  /** Joined connections of a channel on nodes other than `node`, per node. */
  channelCountsElsewhere(channelKey: string, node: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const byNode of this.#channels.get(channelKey)?.values() ?? []) {
      for (const [other, count] of byNode) if (other !== node) counts.set(other, (counts.get(other) ?? 0) + count);
    }
    return counts;
  }

  #node(node: string): NodeState {
    let state = this.#nodes.get(node);
    if (!state) this.#nodes.set(node, (state = { users: new Map(), channels: new Map() }));
    return state;
  }
}
