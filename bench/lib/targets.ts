// The three servers under test, each started in a child process of its own.
import type { TargetKind } from '../load/clients/bench-client.js';
import { spawnJsonLineChild } from './child-process.js';
import type { Ready } from './announce.js';
// @ts-expect-error -- plain ESM script shared with the tests
import { createServerProcess } from '../../scripts/server-process.mjs';

export interface RunningTarget {
  kind: TargetKind;
  label: string;
  url: string;
  stop(): Promise<void>;
}

export const TARGET_LABELS: Record<TargetKind, string> = {
  'rtm-chat': 'rtm-chat',
  'ws-router': 'plain ws',
  socketio: 'Socket.IO 4',
};

/**
 * rtm-chat as `npm start` runs it (src/server/cli.ts, SQLite in a fresh data dir, synchronous=FULL:
 * every ack waits for a commit on disk), with one bench-only setting: RTM_WS_RATE_LIMIT=0, because
 * the per-connection limits (60 sends/s) would cap the figure at the limit instead of the server.
 * Production defaults are untouched; the driver prints this.
 */
async function startRtm(): Promise<RunningTarget> {
  const server = createServerProcess({ name: 'bench-peers', env: { RTM_WS_RATE_LIMIT: '0' } });
  await server.start();
  return { kind: 'rtm-chat', label: TARGET_LABELS['rtm-chat'], url: server.url as string, stop: () => server.stop() };
}

async function startPeer(kind: TargetKind, script: string): Promise<RunningTarget> {
  const child = spawnJsonLineChild(script);
  const ready = await child.nextLine<Ready>();
  return { kind, label: TARGET_LABELS[kind], url: ready.url, stop: () => child.stop() };
}

export function startTarget(kind: TargetKind): Promise<RunningTarget> {
  switch (kind) {
    case 'rtm-chat':
      return startRtm();
    case 'ws-router':
      return startPeer(kind, 'peers/ws-router.ts');
    case 'socketio':
      return startPeer(kind, 'peers/socketio-router.ts');
  }
}
