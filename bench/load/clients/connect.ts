// Picks the client for a target and connects many users, a bounded number at a time (1,000
// simultaneous handshakes would measure the accept queue, not the target).
import type { BenchClient, TargetKind } from './bench-client.js';
import { connectRtm, connectWsRouter } from './frame-client.js';
import { connectSocketIo } from './socketio-client.js';

const CONNECTS_IN_FLIGHT = 50;

export function connectorFor(kind: TargetKind): (url: string, uid: string) => Promise<BenchClient> {
  switch (kind) {
    case 'rtm-chat':
      return connectRtm;
    case 'ws-router':
      return connectWsRouter;
    case 'socketio':
      return connectSocketIo;
  }
}

export async function connectAll(kind: TargetKind, url: string, uids: readonly string[]): Promise<BenchClient[]> {
  const connect = connectorFor(kind);
  const clients: BenchClient[] = new Array(uids.length);
  let next = 0;
  const worker = async () => {
    while (next < uids.length) {
      const i = next++;
      clients[i] = await connect(url, uids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTS_IN_FLIGHT, uids.length) }, worker));
  return clients;
}
