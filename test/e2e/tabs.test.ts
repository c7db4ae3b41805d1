// Two tabs of one user in one browser profile: one WebSocket between them, the same unread
// badges in both, and the second tab takes the connection over when the first one closes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { endToEnd, sendText } from './helpers.js';

const { server, browser, openPage } = endToEnd('e2e-tabs');

/** Counts the WebSockets a page opens to the chat server. */
function countSockets(page: Page): { opened: number } {
  const count = { opened: 0 };
  page.on('websocket', (socket) => {
    if (socket.url().endsWith('/ws')) count.opened++;
  });
  return count;
}

describe('tabs of one user', () => {
  it('share one socket and one unread count; closing the leader tab hands over', async () => {
    const context = await browser().newContext();
    const alice = await openPage(`${server.url}/embed.html?user=alice&peer=bob`);
    try {
      const first = await context.newPage();
      const firstSockets = countSockets(first);
      await first.goto(`${server.url}/embed.html?user=bob`);
      await first.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });
      const second = await context.newPage();
      const secondSockets = countSockets(second);
      await second.goto(`${server.url}/embed.html?user=bob`);
      await second.getByRole('status').waitFor({ state: 'hidden', timeout: 15_000 });

      const aliceView = alice.page.locator('rtm-channel');
      for (const n of [1, 2]) await sendText(aliceView, `hello ${n}`);
      for (const page of [first, second]) {
        const row = page.locator('li', { has: page.getByRole('button', { name: 'alice', exact: true }) });
        await row.getByText('2 unread').waitFor({ timeout: 15_000 });
      }
      assert.deepEqual([firstSockets.opened, secondSockets.opened], [1, 0], 'one socket, opened by the first tab');

      await first.close();
      await sendText(aliceView, 'hello 3');
      const row = second.locator('li', { has: second.getByRole('button', { name: 'alice', exact: true }) });
      await row.getByText('3 unread').waitFor({ timeout: 20_000 });
      assert.equal(secondSockets.opened, 1, 'the second tab opened its own socket after the first closed');
      assert.deepEqual(alice.errors, []);
    } finally {
      await context.close();
      await alice.close();
    }
  });
});
