// The script-tag bundle's first load: a page that shows one text conversation (peer or channel)
// and sends and receives text must fetch nothing from /dist/ but rtm-chat.iife.js. Every feature
// it does not use (media, the inbox, the popup, actions, search, rich messages, the virtualizer…)
// is a companion file that loads when first needed (vite.config.ts); this fails when one of them
// is fetched, or when a feature is moved back into the first load's path by mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerPage, endToEnd, expectInLog, sendText, serveOtherOrigin, type OpenedPage } from './helpers.js';

const { server, openPage } = endToEnd('first-load');

const page = (user: string, target: string) => customerPage(server.url, user, target);

describe('first load of the script-tag bundle', () => {
  it('a text-only peer and channel conversation fetch rtm-chat.iife.js and no companion file', async () => {
    const run = Date.now().toString(36);
    const [alice, bob] = [`fl-alice-${run}`, `fl-bob-${run}`];
    const channel = `fl-room-${run}`;
    const site = await serveOtherOrigin({
      '/alice.html': page(alice, `peer="${bob}"`),
      '/bob.html': page(bob, `peer="${alice}"`),
      '/alice-room.html': page(alice, `channel="${channel}"`),
      '/bob-room.html': page(bob, `channel="${channel}"`),
    });
    const fetched = new Map<string, Set<string>>();
    const pages: OpenedPage[] = [];
    try {
      const open = async (path: string) => {
        const opened = await openPage('about:blank');
        const files = new Set<string>();
        fetched.set(path, files);
        opened.page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname.startsWith('/dist/')) files.add(url.pathname.slice('/dist/'.length));
        });
        await opened.page.goto(`${site.origin}${path}`);
        pages.push(opened);
        return opened;
      };
      const alicePage = await open('/alice.html');
      const bobPage = await open('/bob.html');
      const hello = `hello ${run}`;
      await sendText(alicePage.page.locator('rtm-channel'), hello);
      await expectInLog(bobPage.page.locator('rtm-channel'), hello);
      const reply = `hi ${run}`;
      await sendText(bobPage.page.locator('rtm-channel'), reply);
      await expectInLog(alicePage.page.locator('rtm-channel'), reply);
      // Alice's own message goes on to Read: receipts are part of a text conversation too.
      await alicePage.page.getByRole('log').getByText('Read', { exact: true }).first().waitFor({ timeout: 10_000 });

      const aliceRoom = await open('/alice-room.html');
      const bobRoom = await open('/bob-room.html');
      const shout = `room news ${run}`;
      await sendText(bobRoom.page.locator('rtm-channel'), shout);
      await expectInLog(aliceRoom.page.locator('rtm-channel'), shout);

      for (const [path, files] of fetched) assert.deepEqual([...files], ['rtm-chat.iife.js'], `${path} fetched ${[...files].join(', ')}`);
      assert.deepEqual(pages.flatMap((opened) => opened.errors), []);
    } finally {
      for (const opened of pages) await opened.close();
      await site.close();
    }
  });
});
