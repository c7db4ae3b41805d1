// Two users in two browser contexts chat through the demo page and through the script-tag embed
// loaded from another origin, against the real server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerPage, endToEnd, expectInLog, sendText, serveOtherOrigin } from './helpers.js';

const { server, openPage } = endToEnd('e2e');

describe('demo page /', () => {
  it('alice and bob exchange peer and channel messages in two browser contexts', async () => {
    const alice = await openPage(`${server.url}/`);
    const bob = await openPage(`${server.url}/`);
    try {
      const alicePeer = alice.page.locator('#alice rtm-channel[peer="bob"]');
      const aliceLobby = alice.page.locator('#alice rtm-channel[channel="lobby"]');
      const bobPeer = bob.page.locator('#bob rtm-channel[peer="alice"]');
      const bobLobby = bob.page.locator('#bob rtm-channel[channel="lobby"]');

      const hello = `hello bob ${Date.now()}`;
      await sendText(alicePeer, hello);
      await expectInLog(bobPeer, hello);

      const reply = `hi alice ${Date.now()}`;
      await sendText(bobPeer, reply);
      await expectInLog(alicePeer, reply);

      const shout = `lobby news ${Date.now()}`;
      await sendText(bobLobby, shout);
      await expectInLog(aliceLobby, shout);

      // The sender sees their own message acknowledged, not stuck in "Sending…" (bob has the
      // conversation open on screen, so it goes on to Read).
      await alicePeer.getByRole('log').getByText('Read', { exact: true }).first().waitFor({ timeout: 10_000 });

      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

describe('script-tag embed from another origin', () => {
  it('works from /embed.html and from a customer page on another origin', async () => {
    // The customer's page: the README snippet, with the script and server on the chat origin.
    const page = (user: string, target: string) => customerPage(server.url, user, target);
    const site = await serveOtherOrigin({
      '/carol-peer.html': page('carol', 'peer="dave"'),
      '/carol-room.html': page('carol', 'channel="support"'),
    });
    const carolPeer = await openPage(`${site.origin}/carol-peer.html`);
    const carolRoom = await openPage(`${site.origin}/carol-room.html`);
    // dave uses the server's own embed page.
    const davePeer = await openPage(`${server.url}/embed.html?user=dave&peer=carol`);
    const daveRoom = await openPage(`${server.url}/embed.html?user=dave&channel=support`);
    try {
      assert.notEqual(new URL(site.origin).origin, new URL(server.url).origin);
      const carolChat = carolPeer.page.locator('rtm-channel');
      const daveChat = davePeer.page.locator('rtm-channel');

      const question = `Is my order shipped? ${Date.now()}`;
      await sendText(carolChat, question);
      await expectInLog(daveChat, question);

      const answer = `Yes, today ${Date.now()}`;
      await sendText(daveChat, answer);
      await expectInLog(carolChat, answer);

      const roomText = `support room ${Date.now()}`;
      // Both must have joined before a channel message reaches the other.
      await carolRoom.page.locator('rtm-channel').getByRole('textbox', { name: 'Message' }).waitFor();
      await daveRoom.page.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });
      await carolRoom.page.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });
      await sendText(carolRoom.page.locator('rtm-channel'), roomText);
      await expectInLog(daveRoom.page.locator('rtm-channel'), roomText);

      assert.deepEqual([...carolPeer.errors, ...davePeer.errors, ...carolRoom.errors, ...daveRoom.errors], []);
    } finally {
      for (const opened of [carolPeer, carolRoom, davePeer, daveRoom]) await opened.close();
      await site.close();
    }
  });
});
