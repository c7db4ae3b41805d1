// Fills a conversation with many messages through the real server, quickly: raw gateway frames
// (as bench/gateway.bench.ts sends them) over several connections of the sender, since the server
// limits sends per connection (a burst, then a steady rate) and answers TOO_OFTEN beyond it.
// Shared by the end-to-end test of long conversations and bench/list.bench.ts.
import { WebSocket } from 'ws';

async function devToken(server: string, uid: string): Promise<string> {
  const response = await fetch(`${server}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid }),
  });
  if (!response.ok) throw new Error(`dev token for ${uid}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

interface Reply {
  t: string;
  id?: number;
  ok?: boolean;
  error?: { code?: number; reason?: string };
}

/** A logged-in gateway socket that resolves each request with its reply. */
async function connect(server: string, uid: string): Promise<{ request(frame: object): Promise<Reply>; close(): void }> {
  const token = await devToken(server, uid);
  const socket = new WebSocket(`${server.replace(/^http/, 'ws')}/ws`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waiting = new Map<number, (reply: Reply) => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Reply;
    if (frame.t === 'reply' && frame.id !== undefined) waiting.get(frame.id)?.(frame);
  });
  let nextId = 1;
  const request = (frame: object) =>
    new Promise<Reply>((resolve) => {
      const id = nextId++;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        resolve(reply);
      });
      socket.send(JSON.stringify({ ...frame, id }));
    });
  const login = await request({ t: 'login', appId: 'demo', uid, token });
  if (!login.ok) throw new Error(`login of ${uid}: ${JSON.stringify(login.error)}`);
  return { request, close: () => socket.close() };
}

/**
 * Sends `count` text messages "<prefix><n>" (n = 1 … count) from `from` to `to`, over `connections`
 * sockets of `from`, each sending its share in order. Resolves once every one is stored.
 */
export async function sendPeerMessages(
  server: string,
  from: string,
  to: string,
  count: number,
  { prefix = 'm', connections = 16 }: { prefix?: string; connections?: number } = {},
): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: Math.min(connections, count) }, () => connect(server, from)));
  const share = Math.ceil(count / sockets.length);
  try {
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let n = s * share + 1; n <= Math.min(count, (s + 1) * share); n++) {
          const frame = { t: 'peer.send', to, cmid: `${prefix}-${from}-${n}`, message: { type: 'TEXT', text: `${prefix}${n}` }, offline: false };
          for (;;) {
            const reply = await socket.request(frame);
            if (reply.ok) break;
            // Over the connection's send limit: wait for the bucket to refill (the same client
            // message id makes a repeat harmless).
            if (reply.error?.reason !== 'TOO_OFTEN') throw new Error(`send ${n}: ${JSON.stringify(reply.error)}`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      }),
    );
  } finally {
    for (const socket of sockets) socket.close();
  }
}
