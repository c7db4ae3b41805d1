/**
 * Redis key and pub/sub channel names of the cluster router, and the JSON messages on them.
 * Everything lives under `rtm:<prefix>:` so several deployments (or test runs) can share a Redis.
 */
export function clusterKeys(prefix: string, node: string) {
  const base = `rtm:${prefix}`;
  return {
    /** Set of node ids that have announced themselves (dead ones are removed by whoever notices). */
    nodes: `${base}:nodes`,
    /** Cluster-wide events: every node's attach/detach/join/leave, stops and re-announcements. */
    events: `${base}:events`,
    ...nodeKeys(base, node),
    of: (other: string) => nodeKeys(base, other),
  };
}

function nodeKeys(base: string, node: string) {
  return {
    /** Liveness key, refreshed every heartbeat with a TTL: gone = the node is dead. */
    alive: `${base}:node:${node}:alive`,
    /** Hash: user key → that user's connections on the node. */
    users: `${base}:node:${node}:users`,
    /** Hash: `channel key \n uid` → that uid's joined connections in the channel on the node. */
    members: `${base}:node:${node}:members`,
    /** Pub/sub channel the node listens on for deliveries and confirm requests meant for it. */
    inbox: `${base}:node:${node}`,
  };
}

/** On the events channel. Counts are absolute (the node's count after the change). */
export type ClusterEvent =
  | { k: 'user'; n: string; key: string; c: number }
  | { k: 'member'; n: string; ch: string; uid: string; c: number }
  /** The node rewrote its hashes (start, or back after losing Redis): re-read them. */
  | { k: 'state'; n: string }
  /** The node stopped cleanly: forget it now instead of after the TTL. */
  | { k: 'down'; n: string };

/** On a node's inbox. `text` is the serialized server frame, delivered as is. */
export type InboxMessage =
  | { k: 'user'; key: string; text: string }
  | { k: 'channel'; ch: string; text: string }
  /** REST wait_for_ack: confirm the user's connections on this node; answer to `from`'s inbox. */
  | { k: 'confirm'; key: string; ms: number; id: string; from: string }
  | { k: 'confirmed'; id: string; ok: boolean };

/** A member hash field: channel key (app \n channel) and uid joined by '\n' (outside the charset). */
export const memberField = (channelKey: string, uid: string) => `${channelKey}\n${uid}`;

export function parseMemberField(field: string): { channelKey: string; uid: string } | undefined {
  const cut = field.lastIndexOf('\n');
  if (cut <= 0) return undefined;
  return { channelKey: field.slice(0, cut), uid: field.slice(cut + 1) };
}

/** Parses a bus message; undefined for anything malformed (another version, or garbage). */
export function parseBusMessage<T extends { k: string }>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && typeof (value as { k?: unknown }).k === 'string' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
