// Sending an image from the script-tag build: /embed.html (dist/rtm-chat.iife.js) fetches
// dist/rtm-chat.images.js (the header parser and thumbnail maker) from next to itself for the
// first image it sends, and never for text. Without that file the image still goes, with the size
// the browser decodes and no thumbnail, after one warning.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { endToEnd, expectInLog, sendText } from './helpers.js';
import { gradientPng } from './sample-files.js';

const { server, openPage } = endToEnd('e2e-images');

const IMAGES_FILE = '/dist/rtm-chat.images.js';

/** The attachment of the stored image message `fileName` in the peer conversation, once sent. */
async function sentAttachment(page: Page, peer: string, fileName: string): Promise<Record<string, unknown>> {
  const read = `(() => {
    const messages = document.querySelector('rtm-chat').session.messagesOf('peer:${peer}').get();
    const sent = messages.find((m) => m.attachment?.fileName === '${fileName}' && m.status === 'sent');
    return sent ? sent.attachment : undefined;
  })()`;
  await page.waitForFunction(read, undefined, { timeout: 20_000 });
  return (await page.evaluate(read)) as Record<string, unknown>;
}

function watchRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(new URL(request.url()).pathname));
  return urls;
}

describe('sending an image from the script-tag build', () => {
  it('loads rtm-chat.images.js for the first image (not for text) and sends a thumbnail the receiver sees at once', async () => {
    const alice = await openPage(`${server.url}/embed.html?user=alice&peer=bob`);
    const bob = await openPage(`${server.url}/embed.html?user=bob&peer=alice`);
    const requests = watchRequests(alice.page);
    try {
      const aliceChat = alice.page.locator('rtm-chat');
      await sendText(aliceChat, 'text first');
      await expectInLog(bob.page.locator('rtm-chat'), 'text first');
      assert.deepEqual(requests.filter((path) => path === IMAGES_FILE), [], 'no image work for a text message');

      const loaded = alice.page.waitForResponse((response) => new URL(response.url()).pathname === IMAGES_FILE, { timeout: 20_000 });
      await aliceChat.locator('input[type="file"]').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: gradientPng(640, 400) }]);
      const response = await loaded;
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-type'] ?? '', /javascript/);

      const attachment = await sentAttachment(alice.page, 'bob', 'photo.png');
      assert.equal(attachment.width, 640);
      assert.equal(attachment.height, 400);
      assert.match(String(attachment.thumbnailUrl), /^data:image\/(webp|jpeg);base64,/);
      assert.ok(Number(attachment.thumbnailWidth) > 0 && Number(attachment.thumbnailHeight) > 0);

      // The receiver shows the thumbnail from the message itself.
      const thumbnail = bob.page.getByRole('button', { name: 'Open image photo.png' }).locator('img');
      await thumbnail.waitFor({ timeout: 20_000 });
      assert.match((await thumbnail.getAttribute('src')) ?? '', /^data:image\//);
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('sends the image without a thumbnail, with its decoded size and one warning, when rtm-chat.images.js cannot be loaded', async () => {
    const { context, page, errors, close } = await openPage('about:blank');
    try {
      await context.route(`**${IMAGES_FILE}`, (route) => route.fulfill({ status: 404, body: 'not here' }));
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${server.url}/embed.html?user=carol&peer=dave`);
      const chat = page.locator('rtm-chat');
      await chat.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
      const input = chat.locator('input[type="file"]');
      await input.setInputFiles([{ name: 'first.png', mimeType: 'image/png', buffer: gradientPng(320, 200) }]);
      const first = await sentAttachment(page, 'dave', 'first.png');
      assert.equal(first.width, 320);
      assert.equal(first.height, 200);
      assert.equal(first.thumbnailUrl, undefined);
      // A second image does not try (or warn) again.
      await input.setInputFiles([{ name: 'second.png', mimeType: 'image/png', buffer: gradientPng(200, 320) }]);
      const second = await sentAttachment(page, 'dave', 'second.png');
      assert.deepEqual([second.width, second.height], [200, 320]);
      assert.equal(warnings.filter((text) => text.includes('rtm-chat.images.js')).length, 1, warnings.join('\n'));
      // The browser reports the 404 itself; nothing else went wrong.
      assert.deepEqual(errors.filter((error) => !/404|Failed to fetch dynamically imported module/.test(error)), []);
    } finally {
      await close();
    }
  });
});
