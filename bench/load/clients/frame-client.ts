// A client for rtm-chat's WebSocket frames (docs/protocol.md), used for rtm-chat itself and for the
// plain ws router, which speaks the same subset. One socket, numbered requests, replies matched by id.
import WebSocket from 'ws';
import type { BenchClient, Delivery, WireMessage } from './bench-client.js';

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

class FrameClient implements BenchClient {
  onDelivery: (delivery: Delivery) => void = () => {};
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    readonly uid: string,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => this.#onFrame(JSON.parse(String(data))));
    socket.on('close', (code, reason) => {
      const error = new Error(`${uid}: socket closed ${code} ${String(reason)}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  request(frame: Record<string, unknown>): Promise<void> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ ...frame, id }));
    });
  }

  sendPeer(to: string, cmid: string, message: WireMessage): Promise<void> {
    return this.request({ t: 'peer.send', to, cmid, message });
  }

  join(channel: string): Promise<void> {
    return this.request({ t: 'channel.join', channel });
  }

  sendChannel(channel: string, cmid: string, message: WireMessage): Promise<void> {
    return this.request({ t: 'channel.send', channel, cmid, message });
  }

  close(): void {
    this.socket.close();
  }

  #onFrame(frame: any): void {
    if (frame.t === 'reply') {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      if (frame.ok) pending.resolve();
      else pending.reject(new Error(`${this.uid}: ${JSON.stringify(frame.error)}`));
    } else if (frame.t === 'peer.message' || frame.t === 'channel.message') {
      const { from, cmid, message } = frame.message;
      this.onDelivery({ from, cmid, message });
    }
    // Receipts, member notices and the like are read and dropped: a real client gets them too.
  }
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // No permessage-deflate: none of the servers under test enables it.
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function devToken(httpUrl: string, uid: string): Promise<string> {
  const response = await fetch(`${httpUrl}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid }),
  });
  if (!response.ok) throw new Error(`dev token for ${uid}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** rtm-chat: a dev token from `/api/dev/token`, then the `login` frame on `/ws` (app "demo"). */
export async function connectRtm(httpUrl: string, uid: string): Promise<BenchClient> {
  const token = await devToken(httpUrl, uid);
  const client = new FrameClient(uid, await open(`${httpUrl.replace(/^http/, 'ws')}/ws`));
  await client.request({ t: 'login', appId: 'demo', uid, token });
  return client;
}

/** The plain ws router: the same `login` frame, its uid taken on trust. */
export async function connectWsRouter(wsUrl: string, uid: string): Promise<BenchClient> {
  const client = new FrameClient(uid, await open(wsUrl));
  await client.request({ t: 'login', appId: 'demo', uid, token: '' });
  return client;
}
