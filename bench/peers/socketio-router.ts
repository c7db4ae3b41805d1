// The Socket.IO 4 server a user might write instead of running rtm-chat, written the way its docs
// suggest: the uid comes in the handshake's `auth`, each socket joins a `user:<uid>` room so a peer
// message is `socket.to('user:' + to).emit(…)`, channels are rooms, acks are callbacks. In memory,
// nothing stored, the default in-process adapter.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announceReady } from '../lib/announce.js';

const httpServer = createServer();
// The generator connects with the websocket transport only; polling stays allowed (the default)
// because that is how a user would deploy it.
const io = new Server(httpServer, { serveClient: false });
let nextMessageId = 1;

io.use((socket, next) => {
  const uid = socket.handshake.auth?.uid;
  if (typeof uid !== 'string' || uid === '') return next(new Error('uid required'));
  socket.data.uid = uid;
  next();
});

io.on('connection', (socket) => {
  const uid: string = socket.data.uid;
  void socket.join(`user:${uid}`);

  socket.on('peer.send', (frame: { to: string; cmid: string; message: unknown }, ack: (result: unknown) => void) => {
    const messageId = String(nextMessageId++);
    const ts = Date.now();
    socket.to(`user:${frame.to}`).emit('peer.message', { id: messageId, seq: 0, ts, from: uid, to: frame.to, cmid: frame.cmid, message: frame.message });
    ack({ ok: true, messageId, ts });
  });

  socket.on('channel.join', (channel: string, ack: (result: unknown) => void) => {
    void socket.join(`channel:${channel}`);
    ack({ ok: true });
  });

  socket.on('channel.send', (frame: { channel: string; cmid: string; message: unknown }, ack: (result: unknown) => void) => {
    if (!socket.rooms.has(`channel:${frame.channel}`)) return ack({ ok: false, error: 'not joined' });
    const messageId = String(nextMessageId++);
    const ts = Date.now();
    socket.to(`channel:${frame.channel}`).emit('channel.message', { id: messageId, seq: 0, ts, from: uid, channel: frame.channel, cmid: frame.cmid, message: frame.message });
    ack({ ok: true, messageId, ts });
  });
});

httpServer.listen(0, '127.0.0.1', () => announceReady((httpServer.address() as { port: number }).port, 'http'));
process.on('SIGTERM', () => io.close(() => process.exit(0)));
