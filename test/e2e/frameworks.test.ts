// The framework examples (examples/): the widget in a React 19 page, a Vue 3 page and a
// server-rendered React page, each built with Vite against the package's dist/ and served from an
// origin of their own, used by two browser users against the real server. Also: the framework
// typings type-check (vue-tsc over the examples and examples/types), and importing the package
// in Node, as an SSR server does, throws nothing and touches no DOM.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { serveExamples, type ExamplesServer } from '../../examples/serve.js';
import { endToEnd, expectInLog, sendText, type OpenedPage } from './helpers.js';

const { server, openPage } = endToEnd('frameworks');
let examples: ExamplesServer;

before(async () => {
  assert.ok(existsSync('build/examples/ssr-server/render.js'), 'run `npm run build:examples` first (scripts/test.mjs does)');
  examples = await serveExamples();
});
after(async () => examples?.close());

const run = Date.now().toString(36);
const pageUrl = (example: string, user: string, peer: string) =>
  `${examples.url}/${example}/?server=${encodeURIComponent(server.url)}&user=${user}&peer=${peer}`;
const reported = (page: Page, what: 'connection' | 'unread' | 'last-message') => page.locator(`#${what}`);
const conversation = (page: Page) => page.locator('rtm-channel');

/**
 * What each framework page must do: sign in with the token provider set as a property, report
 * the widget's events into the framework's state, and follow a property change (another peer).
 */
async function exerciseExample(example: 'react' | 'vue' | 'ssr'): Promise<void> {
  const alice = `${example}-alice-${run}`;
  const bob = `${example}-bob-${run}`;
  const carol = `${example}-carol-${run}`;
  const pages: OpenedPage[] = [];
  try {
    const alicePage = await openPage(pageUrl(example, alice, bob));
    pages.push(alicePage);
    const bobPage = await openPage(pageUrl('react', bob, alice));
    pages.push(bobPage);
    const page = alicePage.page;

    // rtm-connection-change reached the framework's state: the token provider (a property) worked.
    await reported(page, 'connection').getByText('CONNECTED', { exact: true }).waitFor({ timeout: 15_000 });
    await reported(bobPage.page, 'connection').getByText('CONNECTED', { exact: true }).waitFor({ timeout: 15_000 });

    const hello = `hello from bob ${run}`;
    await sendText(conversation(bobPage.page), hello);
    await expectInLog(conversation(page), hello);
    // rtm-message reached the framework's state.
    await reported(page, 'last-message').getByText(`${bob}: ${hello}`, { exact: true }).waitFor({ timeout: 10_000 });

    const reply = `hi bob, this is ${example} ${run}`;
    await sendText(conversation(page), reply);
    await expectInLog(conversation(bobPage.page), reply);

    // A state change in the framework becomes a new `peer` on <rtm-channel>.
    await page.getByRole('textbox', { name: 'Talk to' }).fill(carol);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('log', { name: `Messages with ${carol}` }).waitFor({ timeout: 10_000 });
    // Bob's next message is now unread for alice: rtm-unread-change reached the framework's state.
    await sendText(conversation(bobPage.page), `are you there? ${run}`);
    await reported(page, 'unread').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });

    assert.deepEqual(alicePage.errors, [], `${example} page errors`);
    assert.deepEqual(bobPage.errors, [], 'react page errors (bob)');
  } finally {
    for (const opened of pages) await opened.close();
  }
}

describe('framework embeds', () => {
  it('React 19: attributes, the token provider property, on<event> props and a live peer change', async () => {
    await exerciseExample('react');
  });

  it('Vue 3: attributes, a .tokenProvider property binding, @rtm-… listeners and a live peer change', async () => {
    await exerciseExample('vue');
  });

  it('server-rendered React: the widget is in the HTML from Node, then hydrates without a mismatch and works', async () => {
    const html = await (await fetch(pageUrl('ssr', `ssr-alice-${run}`, `ssr-bob-${run}`))).text();
    assert.match(html, new RegExp(`<rtm-chat server="${server.url}" app-id="demo" user-id="ssr-alice-${run}"><rtm-channel peer="ssr-bob-${run}"></rtm-channel></rtm-chat>`));
    // React reports a hydration mismatch as a console error, which exerciseExample asserts against.
    await exerciseExample('ssr');
  });

  it('the ESM build switches language through its own chunks in a bundled app (React page)', async () => {
    const opened = await openPage(pageUrl('react', `react-lang-${run}`, `react-peer-${run}`));
    try {
      const { page } = opened;
      await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
      await page.evaluate(() => (document.querySelector('rtm-chat')!.locale = 'zh-CN'));
      await page.getByRole('textbox', { name: '消息' }).waitFor({ timeout: 10_000 });
      await page.evaluate(() => (document.querySelector('rtm-chat')!.locale = 'ar'));
      await page.getByRole('textbox', { name: 'رسالة' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('rtm-chat').getAttribute('dir'), 'rtl');
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.close();
    }
  });

  it('the typings for JSX and Vue templates accept the elements’ attributes, properties and events, and reject wrong ones', () => {
    const { status, stdout, stderr } = spawnSync(process.execPath, ['node_modules/vue-tsc/bin/vue-tsc.js', '--noEmit', '-p', 'examples/tsconfig.json'], {
      encoding: 'utf8',
    });
    assert.equal(status, 0, `vue-tsc failed:\n${stdout}${stderr}`);
  });

  it('importing rtm-chat and rtm-chat/define in Node (SSR) throws nothing and touches no DOM', () => {
    // A fresh Node process, as an SSR server is: no document or window, so any DOM work at import
    // time would throw. The globals Node does have that the widget uses in the browser (sockets,
    // channels between tabs, fetch, timers' cousins) throw when read, so importing must not reach
    // for them either. The process must then exit by itself: no socket, timer or listener left.
    const script = `
      for (const name of ['WebSocket', 'BroadcastChannel', 'fetch', 'navigator', 'localStorage', 'indexedDB']) {
        Object.defineProperty(globalThis, name, { configurable: true, enumerable: false, get() { throw new Error('read ' + name + ' at import'); } });
      }
      const widget = await import('rtm-chat');
      await import('rtm-chat/define');
      const registered = ['rtm-chat', 'rtm-channel', 'rtm-attachment'].filter((tag) => customElements.get(tag));
      console.log(JSON.stringify({ exports: Object.keys(widget).length, registered, createInstance: typeof widget.createInstance }));
    `;
    const { status, stdout, stderr } = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(status, 0, `the import failed:\n${stderr}`);
    const result = JSON.parse(stdout.trim()) as { exports: number; registered: string[]; createInstance: string };
    assert.ok(result.exports > 20, 'the ESM entry exports the classes and stores');
    assert.equal(result.createInstance, 'function');
    assert.deepEqual(result.registered, ['rtm-chat', 'rtm-channel', 'rtm-attachment'], "registered in Lit's server-side element registry");
  });
});
