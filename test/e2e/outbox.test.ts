// A message typed while the server is down survives a reload of the page (IndexedDB outbox) and
// reaches bob exactly once when the server is back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { endToEnd, expectInLog, sendText } from './helpers.js';

const { server, openPage } = endToEnd('e2e-outbox');

describe('offline outbox', () => {
  it('sends a message typed offline once after a reload, with the cached history shown meanwhile', async () => {
    const [aliceId, bobId] = [`alice-${Date.now()}`, `bob-${Date.now()}`];
    const bob = await openPage(`${server.url}/embed.html?user=${bobId}&peer=${aliceId}`);
    const alice = await openPage(`${server.url}/embed.html?user=${aliceId}&peer=${bobId}`);
    const aliceView = alice.page.locator('rtm-channel');
    const bobView = bob.page.locator('rtm-channel');
    try {
      await sendText(aliceView, 'before the outage');
      await expectInLog(bobView, 'before the outage');

      await server.kill();
      await alice.page.getByRole('status').getByText('Reconnecting', { exact: false }).waitFor({ timeout: 15_000 });
      await sendText(aliceView, 'typed offline');
      await aliceView.getByRole('log').getByText('Sending…').waitFor();
      await alice.page.waitForTimeout(500);

      // The reload while the server is down: the page and the bundle come from the browser's
      // side (as from a cache); the history and the pending message come from IndexedDB.
      const files: Record<string, [string, string]> = {
        '/embed.html': ['demo/embed.html', 'text/html'],
        '/dist/rtm-chat.iife.js': ['dist/rtm-chat.iife.js', 'text/javascript'],
      };
      await alice.context.route(
        (url) => url.pathname in files,
        async (route) => {
          const [path, contentType] = files[new URL(route.request().url()).pathname]!;
          await route.fulfill({ body: await readFile(path), contentType });
        },
      );
      await alice.page.reload();
      await expectInLog(aliceView, 'before the outage');
      await expectInLog(aliceView, 'typed offline');
      await aliceView.getByRole('log').getByText('Sending…').waitFor();

      await server.start();
      await alice.context.unrouteAll();
      const errorsBefore = alice.errors.length;
      await alice.page.reload();
      await expectInLog(bobView, 'typed offline', 30_000);
      await aliceView.getByRole('log').getByText('Sending…').waitFor({ state: 'detached', timeout: 15_000 });

      // Exactly once: bob's view, and a fresh load of bob's history from the server.
      await bob.page.reload();
      await expectInLog(bobView, 'typed offline');
      await bob.page.waitForTimeout(1000);
      assert.equal(await bobView.getByRole('log').getByText('typed offline', { exact: true }).count(), 1);
      assert.equal(await bobView.getByRole('log').getByText('before the outage', { exact: true }).count(), 1);
      assert.deepEqual([...alice.errors.slice(errorsBefore), ...bob.errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket/.test(e))], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
