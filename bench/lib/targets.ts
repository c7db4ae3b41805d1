// The servers under test, each started in child processes of its own: rtm-chat on SQLite (as
// `npm start` runs it), rtm-chat on PostgreSQL + Redis as one node and as two, and the two peers.
import type { TargetKind } from '../load/clients/bench-client.js';
import { spawnJsonLineChild } from './child-process.js';
import type { Ready } from './announce.js';
import { createBenchDatabase } from './bench-database.js';
// @ts-expect-error -- plain ESM script shared with the tests
import { createServerProcess } from '../../scripts/server-process.mjs';

export interface RunningTarget {
  kind: TargetKind;
  label: string;
  /** One per node; the generator spreads users over them round-robin. */
  urls: string[];
  stop(): Promise<void>;
}

export const TARGET_LABELS: Record<TargetKind, string> = {
  'rtm-chat': 'rtm-chat',
  'rtm-chat-pg': 'rtm-chat pg',
  'rtm-chat-2-nodes': 'rtm-chat ×2',
  'ws-router': 'plain ws',
  socketio: 'Socket.IO 4',
};

/** Every target, in the order they run and are reported. */
export const ALL_TARGETS: readonly TargetKind[] = ['rtm-chat', 'rtm-chat-pg', 'rtm-chat-2-nodes', 'ws-router', 'socketio'];

/** How many rtm-chat nodes a target runs on PostgreSQL + Redis (0: it needs neither). */
export const CLUSTER_NODES: Record<TargetKind, number> = {
  'rtm-chat': 0,
  'rtm-chat-pg': 1,
  'rtm-chat-2-nodes': 2,
  'ws-router': 0,
  socketio: 0,
};

export interface ClusterServices {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * The one bench-only setting of every rtm-chat target: RTM_WS_RATE_LIMIT=0, because the
 * per-connection limits (60 sends/s) would cap the figure at the limit instead of the server.
 * Production defaults are untouched; the driver prints this.
 */
const BENCH_ENV = { RTM_WS_RATE_LIMIT: '0' };

/**
 * rtm-chat as `npm start` runs it (src/server/cli.ts, SQLite in a fresh data dir, synchronous=FULL:
 * every ack waits for a commit on disk).
 */
async function startRtm(): Promise<RunningTarget> {
  const server = createServerProcess({ name: 'bench-peers', env: BENCH_ENV });
  await server.start();
  return { kind: 'rtm-chat', label: TARGET_LABELS['rtm-chat'], urls: [server.url as string], stop: () => server.stop() };
}

/**
 * `nodes` rtm-chat processes on one fresh PostgreSQL database and one Redis, as a cluster is
 * deployed: each its own process, port and data dir (createServerProcess makes a fresh one, which
 * holds only media bytes here). Started one after the other so the first one migrates the database
 * and creates the demo app, and the next ones find them.
 */
async function startCluster(kind: TargetKind, nodes: number, services: ClusterServices, runId: string): Promise<RunningTarget> {
  const database = await createBenchDatabase(services.databaseUrl, runId);
  const servers: Array<{ start(): Promise<void>; stop(): Promise<void>; url: string }> = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const server = createServerProcess({
        name: `bench-${kind}-${i}`,
        // RTM_REDIS_PREFIX keeps this cluster apart from other servers on the same Redis (the
        // tests' nodes share scripts/local-services.sh's). A server without prefix support (before
        // the scale branch) ignores it and uses the prefix "default"; the run ids keep uids and
        // channel names apart either way.
        env: { ...BENCH_ENV, RTM_DATABASE_URL: database.url, RTM_REDIS_URL: services.redisUrl, RTM_REDIS_PREFIX: `bench-${runId}` },
      });
      servers.push(server);
      await server.start();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind, label: TARGET_LABELS[kind], urls: servers.map((server) => server.url), stop };
}

async function startPeer(kind: TargetKind, script: string): Promise<RunningTarget> {
  const child = spawnJsonLineChild(script);
  const ready = await child.nextLine<Ready>();
  return { kind, label: TARGET_LABELS[kind], urls: [ready.url], stop: () => child.stop() };
}

/** `services` is needed (and only read) by the targets with CLUSTER_NODES > 0. */
export function startTarget(kind: TargetKind, runId: string, services?: ClusterServices): Promise<RunningTarget> {
  switch (kind) {
    case 'rtm-chat':
      return startRtm();
    case 'rtm-chat-pg':
    case 'rtm-chat-2-nodes':
      if (!services) throw new Error(`${kind} needs PostgreSQL and Redis`);
      return startCluster(kind, CLUSTER_NODES[kind], services, runId);
    case 'ws-router':
      return startPeer(kind, 'peers/ws-router.ts');
    case 'socketio':
      return startPeer(kind, 'peers/socketio-router.ts');
  }
}
