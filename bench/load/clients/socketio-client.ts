// A socket.io-client connection to the Socket.IO peer: websocket transport only (no long-polling
// start), its own connection per user (forceNew, since the client otherwise multiplexes every
// socket to one URL over one connection), acks through emitWithAck.
import { io, type Socket } from 'socket.io-client';
import type { BenchClient, Delivery, WireMessage } from './bench-client.js';

class SocketIoClient implements BenchClient {
  onDelivery: (delivery: Delivery) => void = () => {};

  constructor(
    readonly uid: string,
    readonly socket: Socket,
  ) {
    const deliver = (message: { from: string; cmid: string; message: WireMessage }) =>
      this.onDelivery({ from: message.from, cmid: message.cmid, message: message.message });
    socket.on('peer.message', deliver);
    socket.on('channel.message', deliver);
  }

  async #ack(event: string, payload: unknown): Promise<void> {
    const result = (await this.socket.emitWithAck(event, payload)) as { ok: boolean; error?: string };
    if (!result.ok) throw new Error(`${this.uid}: ${result.error}`);
  }

  sendPeer(to: string, cmid: string, message: WireMessage): Promise<void> {
    return this.#ack('peer.send', { to, cmid, message });
  }

  join(channel: string): Promise<void> {
    return this.#ack('channel.join', channel);
  }

  sendChannel(channel: string, cmid: string, message: WireMessage): Promise<void> {
    return this.#ack('channel.send', { channel, cmid, message });
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function connectSocketIo(httpUrl: string, uid: string): Promise<BenchClient> {
  const socket = io(httpUrl, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { uid } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(new SocketIoClient(uid, socket)));
    socket.once('connect_error', reject);
  });
}
