// Read state end to end: bob was away while alice wrote to him and to their channel; bob's inbox
// shows the unread badges, and opening the conversations shows alice that he read them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endToEnd, expectInLog, sendText } from './helpers.js';

const { server, openPage } = endToEnd('e2e-read');
const open = (path: string) => openPage(`${server.url}${path}`);

describe('unread badges and receipts', () => {
  it('bob sees 3 and 2 unread after being away; alice sees "Read" and "Read by 1"', async () => {
    // bob joins the channel once, so he is a member while he is away.
    const bobFirst = await open('/embed.html?user=bob&channel=room');
    await bobFirst.page.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });
    await bobFirst.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await bobFirst.close();

    const alicePeer = await open('/embed.html?user=alice&peer=bob');
    const aliceRoom = await open('/embed.html?user=alice&channel=room');
    const peerView = alicePeer.page.locator('rtm-channel');
    const roomView = aliceRoom.page.locator('rtm-channel');
    for (const n of [1, 2, 3]) await sendText(peerView, `peer message ${n}`);
    for (const n of [1, 2]) await sendText(roomView, `room message ${n}`);
    await expectInLog(peerView, 'peer message 3');
    await expectInLog(roomView, 'room message 2');
    await peerView.getByRole('log').getByText('Sent').nth(2).waitFor({ timeout: 10_000 });

    const bob = await open('/embed.html?user=bob');
    try {
      const alice = bob.page.getByRole('button', { name: 'alice', exact: true });
      const room = bob.page.getByRole('button', { name: '#room', exact: true });
      // Each list entry is a row whose button carries the name; the badge sits beside it.
      const aliceRow = bob.page.locator('li', { has: alice });
      const roomRow = bob.page.locator('li', { has: room });
      await alice.waitFor({ timeout: 15_000 });
      await aliceRow.getByText('3 unread').waitFor({ timeout: 10_000 });
      await roomRow.getByText('2 unread').waitFor({ timeout: 10_000 });

      await alice.click();
      await expectInLog(bob.page.locator('rtm-channel'), 'peer message 3');
      await peerView.getByRole('log').getByText('Read', { exact: true }).first().waitFor({ timeout: 15_000 });
      await aliceRow.getByText('3 unread').waitFor({ state: 'detached', timeout: 10_000 });

      await room.click();
      await expectInLog(bob.page.locator('rtm-channel'), 'room message 2');
      await roomView.getByRole('log').getByText('Read by 1').first().waitFor({ timeout: 15_000 });

      assert.deepEqual([...alicePeer.errors, ...aliceRoom.errors, ...bob.errors], []);
    } finally {
      await bob.close();
      await alicePeer.close();
      await aliceRoom.close();
    }
  });
});
