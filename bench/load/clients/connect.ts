// Picks the client for a target and connects many users, a bounded number at a time (1,000
// simultaneous handshakes would measure the accept queue, not the target). A target of several
// nodes gives several URLs: user i goes to node i mod n, so the scenarios' neighbours (1:1 pairs
// 0↔1, 2↔3, …) sit on different nodes and a channel's members are split evenly.
import type { BenchClient, TargetKind } from './bench-client.js';
import { connectRtm, connectWsRouter } from './frame-client.js';
import { connectSocketIo } from './socketio-client.js';

const CONNECTS_IN_FLIGHT = 50;

export function connectorFor(kind: TargetKind): (url: string, uid: string) => Promise<BenchClient> {
  switch (kind) {
    case 'rtm-chat':
    case 'rtm-chat-pg':
    case 'rtm-chat-2-nodes':
      return connectRtm;
    case 'ws-router':
      return connectWsRouter;
    case 'socketio':
      return connectSocketIo;
  }
}

/** Which node user `index` is on: round-robin. */
export function nodeOf(nodeCount: number, index: number): number {
  return index % nodeCount;
}

function urlFor(urls: readonly string[], index: number): string {
  return urls[nodeOf(urls.length, index)]!;
}

export async function connectAll(kind: TargetKind, urls: readonly string[], uids: readonly string[]): Promise<BenchClient[]> {
  if (urls.length === 0) throw new Error(`${kind}: no URL to connect to`);
  const connect = connectorFor(kind);
  const clients: BenchClient[] = new Array(uids.length);
  let next = 0;
  const worker = async () => {
    while (next < uids.length) {
      const i = next++;
      clients[i] = await connect(urlFor(urls, i), uids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTS_IN_FLIGHT, uids.length) }, worker));
  return clients;
}
