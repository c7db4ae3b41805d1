/**
 * Reads the cluster router's state in Redis (src/server/messaging/cluster/bus.ts): which node holds
 * a user's connections. Tests use it to find the worker process to kill.
 */
import { Redis } from 'ioredis';

export interface HoldingNode {
  nodeId: string;
  /** The node's process id: node ids are `<hostname>-<pid>-<random>`. */
  pid: number;
}

/** The nodes with at least one connection of `uid` in `appId`, under cluster prefix `prefix`. */
export async function nodesHoldingUser(redisUrl: string, prefix: string, uid: string, appId = 'demo'): Promise<HoldingNode[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const held: HoldingNode[] = [];
    for (const nodeId of await redis.smembers(`rtm:${prefix}:nodes`)) {
      if ((await redis.exists(`rtm:${prefix}:node:${nodeId}:alive`)) === 0) continue;
      const count = Number((await redis.hget(`rtm:${prefix}:node:${nodeId}:users`, `${appId}\n${uid}`)) ?? 0);
      const pid = /-(\d+)-[0-9a-f]{8}$/.exec(nodeId)?.[1];
      if (count > 0 && pid) held.push({ nodeId, pid: Number(pid) });
    }
    return held;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key of cluster `prefix`: a test run's leftovers (a SIGKILLed node's id stays in the node set). */
export async function dropClusterKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const keys = await redis.keys(`rtm:${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
