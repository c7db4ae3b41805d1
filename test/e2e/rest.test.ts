// A backend sends through the REST API (docs/rest-api.md) and the widget shows it: live while bob
// has the demo page open, and from history after a reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { demoRest, endToEnd, expectInLog } from './helpers.js';

const { server, openPage } = endToEnd('e2e-rest');

async function rest(path: string, body: unknown): Promise<{ status: number; body: { result: string; code: string } }> {
  return demoRest(server, 'POST', `users/${path}`, body);
}

/**
 * Polls the server over the WebSocket, logged in as another user, until `done(request)` is true:
 * the widget's own state (connected, joined) as the server sees it.
 */
async function waitForServer(
  what: string,
  done: (request: (frame: Record<string, unknown>) => Promise<{ result?: Record<string, unknown> }>) => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const token = ((await (
    await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uid: 'e2e-watcher' }) })
  ).json()) as { token: string }).token;
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  try {
    let id = 0;
    const request = (frame: Record<string, unknown>) =>
      new Promise<{ ok: boolean; result?: Record<string, unknown> }>((resolve) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData) => {
          const reply = JSON.parse(String(data));
          if (reply.t === 'reply' && reply.id === mine) {
            socket.off('message', onMessage);
            resolve(reply);
          }
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ ...frame, id: mine }));
      });
    assert.ok((await request({ t: 'login', appId: 'demo', uid: 'e2e-watcher', token })).ok);
    const deadline = Date.now() + timeoutMs;
    while (!(await done(request))) {
      assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    socket.close();
  }
}

describe('REST API → widget', () => {
  it('bob sees a REST-sent peer message from alice and a channel message live, and again after a reload', async () => {
    const bob = await openPage(`${server.url}/`);
    try {
      const bobPeer = bob.page.locator('#bob rtm-channel[peer="alice"]');
      const bobLobby = bob.page.locator('#bob rtm-channel[channel="lobby"]');
      await waitForServer('bob online', async (request) => {
        const { result } = await request({ t: 'presence.query', uids: ['bob'] });
        return (result?.status as Record<string, string> | undefined)?.bob === 'ONLINE';
      });

      const hello = `hello from alice's backend ${Date.now()}`;
      const peer = await rest('alice/peer_messages?wait_for_ack=true', { destination: 'bob', enable_offline_messaging: false, enable_historical_messaging: false, payload: hello });
      // Delivered: bob's browser confirmed it received the message.
      assert.deepEqual([peer.status, peer.body.result, peer.body.code], [200, 'success', 'message_delivered']);
      await expectInLog(bobPeer, hello);

      const news = `lobby news from the backend ${Date.now()}`;
      // Bob's lobby view joins the channel once connected; a message sent before that would come
      // from history, not live, so wait until the server counts bob as a member.
      await waitForServer('bob in lobby', async (request) => {
        const { result } = await request({ t: 'channel.members', channel: 'lobby' });
        return ((result?.members as string[] | undefined) ?? []).includes('bob');
      });
      const channel = await rest('newsroom/channel_messages', { channel_name: 'lobby', enable_historical_messaging: false, payload: news });
      assert.deepEqual([channel.status, channel.body.code], [200, 'message_sent']);
      await expectInLog(bobLobby, news);

      await bob.page.reload();
      await expectInLog(bobPeer, hello);
      await expectInLog(bobLobby, news);
      assert.equal(await bobPeer.getByRole('log').getByText(hello, { exact: true }).count(), 1, 'once, not twice');
      assert.deepEqual(bob.errors, []);
    } finally {
      await bob.close();
    }
  });
});
