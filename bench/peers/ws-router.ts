// The plain `ws` router a user might write instead of running rtm-chat: login by uid (no token
// check), a peer message routed to every socket of the target uid, a room broadcast to every other
// member, an ack to the sender — all in memory, nothing stored. It speaks the subset of rtm-chat's
// frames the bench uses (login, peer.send, channel.join, channel.send, reply, peer.message,
// channel.message) so the load generator sends byte-for-byte the same requests to both.
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady } from '../lib/announce.js';

interface Client {
  uid?: string;
  rooms: Set<string>;
}

const byUid = new Map<string, Set<WebSocket>>();
const rooms = new Map<string, Set<WebSocket>>();
let nextMessageId = 1;

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });

function reply(socket: WebSocket, id: unknown, result: unknown): void {
  socket.send(JSON.stringify({ t: 'reply', id, ok: true, result }));
}

function refuse(socket: WebSocket, id: unknown, message: string): void {
  socket.send(JSON.stringify({ t: 'reply', id, ok: false, error: { code: 'REFUSED', message } }));
}

function addTo(map: Map<string, Set<WebSocket>>, key: string, socket: WebSocket): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(socket);
}

function removeFrom(map: Map<string, Set<WebSocket>>, key: string, socket: WebSocket): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(socket);
  if (set.size === 0) map.delete(key);
}

server.on('connection', (socket) => {
  const client: Client = { rooms: new Set() };
  socket.on('message', (data) => {
    let frame: Record<string, any>;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return socket.close(1003, 'not JSON');
    }
    if (frame.t === 'login') {
      client.uid = String(frame.uid);
      addTo(byUid, client.uid, socket);
      return reply(socket, frame.id, { uid: client.uid, serverTime: Date.now() });
    }
    if (!client.uid) return refuse(socket, frame.id, 'not logged in');
    const ts = Date.now();
    switch (frame.t) {
      case 'peer.send': {
        const messageId = String(nextMessageId++);
        const targets = byUid.get(frame.to);
        // One serialization for every socket of the receiver, as a careful implementation would.
        const push = JSON.stringify({ t: 'peer.message', message: { id: messageId, seq: 0, ts, from: client.uid, to: frame.to, cmid: frame.cmid, message: frame.message }, offline: false });
        let delivered = false;
        for (const target of targets ?? []) {
          if (target === socket) continue;
          target.send(push);
          delivered = true;
        }
        return reply(socket, frame.id, { messageId, seq: 0, ts, duplicate: false, hasPeerReceived: delivered, storedOffline: false });
      }
      case 'channel.join':
        addTo(rooms, frame.channel, socket);
        client.rooms.add(frame.channel);
        return reply(socket, frame.id, { members: [] });
      case 'channel.send': {
        if (!client.rooms.has(frame.channel)) return refuse(socket, frame.id, 'not joined');
        const messageId = String(nextMessageId++);
        const push = JSON.stringify({ t: 'channel.message', message: { id: messageId, seq: 0, ts, from: client.uid, channel: frame.channel, cmid: frame.cmid, message: frame.message } });
        for (const member of rooms.get(frame.channel) ?? []) if (member !== socket) member.send(push);
        return reply(socket, frame.id, { messageId, seq: 0, ts, duplicate: false });
      }
      default:
        return refuse(socket, frame.id, `unknown frame ${frame.t}`);
    }
  });
  socket.on('close', () => {
    if (client.uid) removeFrom(byUid, client.uid, socket);
    for (const room of client.rooms) removeFrom(rooms, room, socket);
  });
});

server.on('listening', () => announceReady((server.address() as { port: number }).port, 'ws'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
