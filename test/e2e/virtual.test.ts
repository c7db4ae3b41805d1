// Long conversations in the script-tag build: /embed.html (dist/rtm-chat.iife.js) fetches
// dist/rtm-chat.virtual.js from next to itself once a conversation holds more than 150 messages,
// and then keeps a small DOM; a short conversation never fetches it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { endToEnd } from './helpers.js';
import { sendPeerMessages } from './virtual-seed.js';

const { server, openPage } = endToEnd('e2e-virtual');

/**
 * In the page: the messages of a peer conversation the session holds, and the message elements in
 * the DOM (shadow roots included). A string, since tsx's helpers do not exist in the page.
 */
const COUNTS = `(peer) => {
  let inDom = 0;
  const visit = (root) => {
    inDom += root.querySelectorAll('[part~="message"]').length;
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  return { held: document.querySelector('rtm-chat').session.messagesOf('peer:' + peer).get().length, inDom };
}`;

function counts(page: Page, peer: string): Promise<{ held: number; inDom: number }> {
  return page.evaluate(`(${COUNTS})(${JSON.stringify(peer)})`);
}

describe('long conversations in the script-tag build', () => {
  it('a 2,000-message conversation loads rtm-chat.virtual.js and keeps a small DOM; a short one loads nothing', async () => {
    await sendPeerMessages(server.url, 'bob', 'alice', 2_000);
    await sendPeerMessages(server.url, 'carol', 'alice', 20, { prefix: 'c' });

    const short = await openPage(`${server.url}/embed.html?user=alice&peer=carol`);
    const shortRequests: string[] = [];
    short.page.on('request', (request) => shortRequests.push(request.url()));
    try {
      await short.page.getByRole('log').getByText('c20', { exact: true }).waitFor({ timeout: 15_000 });
      // A load would show only as a request, with nothing on the page to wait for: a fixed wait.
      await short.page.waitForTimeout(500);
      assert.deepEqual(shortRequests.filter((url) => url.includes('virtual')), []);
      assert.equal((await counts(short.page, 'carol')).inDom, 20);
    } finally {
      await short.close();
    }

    const long = await openPage(`${server.url}/embed.html?user=alice&peer=bob`);
    const loaded = long.page.waitForResponse((response) => response.url().endsWith('/dist/rtm-chat.virtual.js'), { timeout: 30_000 });
    // Awaited below; until then a failure in between must report itself, not this wait's
    // "page closed" when the finally block closes the page.
    loaded.catch(() => {});
    try {
      const log = long.page.getByRole('log');
      await log.getByText('m2000', { exact: true }).waitFor({ timeout: 15_000 });
      // Scroll up until the whole conversation is loaded: each time at the top, the page before.
      for (let round = 0; (await counts(long.page, 'bob')).held < 2_000; round++) {
        assert.ok(round < 100, 'older pages keep coming');
        const before = (await counts(long.page, 'bob')).held;
        await log.evaluate((element) => (element.scrollTop = 0));
        await long.page.waitForFunction(`(${COUNTS})('bob').held > ${before}`, undefined, { timeout: 5_000 }).catch(() => {});
      }
      const response = await loaded;
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-type'] ?? '', /javascript/);
      // The oldest message (the senders' connections interleave, so not necessarily "m1").
      const oldest = await long.page.evaluate(`document.querySelector('rtm-chat').session.messagesOf('peer:bob').get()[0].text`);
      await log.evaluate((element) => (element.scrollTop = 0));
      await log.getByText(String(oldest), { exact: true }).waitFor({ timeout: 15_000 });
      const { held, inDom } = await counts(long.page, 'bob');
      assert.equal(held, 2_000);
      assert.ok(inDom > 0 && inDom < 200, `${inDom} message elements in the DOM`);
      assert.deepEqual(long.errors, []);
    } finally {
      await long.close();
    }
  });

  it('renders every message, with one warning, when rtm-chat.virtual.js cannot be loaded', async () => {
    await sendPeerMessages(server.url, 'dave', 'erin', 400);
    const { context, page, errors, close } = await openPage('about:blank');
    try {
      await context.route('**/dist/rtm-chat.virtual.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${server.url}/embed.html?user=erin&peer=dave`);
      const log = page.getByRole('log');
      await log.getByText('m400', { exact: true }).waitFor({ timeout: 15_000 });
      for (let round = 0; (await counts(page, 'dave')).held < 400; round++) {
        assert.ok(round < 20, 'older pages keep coming');
        const before = (await counts(page, 'dave')).held;
        await log.evaluate((element) => (element.scrollTop = 0));
        await page.waitForFunction(`(${COUNTS})('dave').held > ${before}`, undefined, { timeout: 5_000 }).catch(() => {});
      }
      await page.waitForFunction(`(${COUNTS})('dave').inDom === 400`, undefined, { timeout: 10_000 });
      assert.equal(warnings.filter((text) => text.includes('rtm-chat.virtual.js')).length, 1, warnings.join('\n'));
      // The browser reports the 404 itself; nothing else went wrong.
      assert.deepEqual(errors.filter((error) => !/404|Failed to fetch dynamically imported module/.test(error)), []);
    } finally {
      await close();
    }
  });
});
