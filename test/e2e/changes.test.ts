// Messages that change, through the script-tag build and its companion files: two users edit,
// retract, react, reply, forward, delete for themselves and search in a channel through the
// widget's menus, mention from the member picker and send a voice message, while a third member
// is offline; when the third comes back online (no reload) their view shows the final state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator, WebSocketRoute } from 'playwright-core';
import { collectPageErrors, demoRest, endToEnd, expectInLog, sendText } from './helpers.js';

const { server, openPage, browser } = endToEnd('e2e-changes');

/**
 * A page whose WebSocket the test can cut and keep cut (the network gone for this user only), to
 * see the client reconnect and catch up without a reload.
 */
async function openCuttablePage(url: string) {
  const context = await browser().newContext();
  let cut = false;
  const open = new Set<WebSocketRoute>();
  await context.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) {
      void ws.close({ code: 4500, reason: 'offline' });
      return;
    }
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  return {
    page,
    errors,
    context,
    goOffline: async () => {
      cut = true;
      for (const ws of open) await ws.close({ code: 4500, reason: 'offline' });
    },
    goOnline: () => void (cut = false),
    close: () => context.close(),
  };
}

/** The row of the message whose bubble reads `text`. */
const row = (view: Locator, text: string) => view.locator('[part~="message"]').filter({ has: view.page().locator('[part~="bubble"]', { hasText: text }) });

async function act(view: Locator, text: string, action: string): Promise<void> {
  const message = row(view, text).first();
  await message.hover();
  await message.locator('[part~="actions-button"]').click();
  await view.getByRole('menuitem', { name: action, exact: true }).click();
}

/** Polls a peer conversation's history over REST (as `uid`) until `done(texts)`; returns the texts, oldest first. */
async function waitForHistory(uid: string, peer: string, done: (texts: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await demoRest(server, 'GET', `users/${uid}/peer_messages/${peer}?limit=20`);
    const messages = (answer.body.messages ?? []) as { message: { text?: string } }[];
    const texts = messages.map((m) => m.message.text ?? '').reverse();
    if (done(texts)) return texts;
    assert.ok(Date.now() < deadline, `the history of ${uid} and ${peer} to satisfy the test; it is ${JSON.stringify(texts)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('messages that change, in the script-tag build', () => {
  it('edit, retract, react, reply, forward, delete for me and search while a third member is offline; back online, the third sees the final state', async () => {
    const room = `changes-${Date.now()}`;
    const users = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}-${Date.now()}`);
    const dave = users[3]!;
    // dave wrote to alice from the site's backend, so alice has a second conversation to forward to.
    const hello = await demoRest(server, 'POST', `users/${dave}/peer_messages`, { destination: users[0], payload: 'hi alice', enable_offline_messaging: true });
    assert.equal(hello.status, 200, JSON.stringify(hello.body));
    const url = (uid: string) => `${server.url}/embed.html?user=${uid}&channel=${room}`;
    const [alice, bob] = await Promise.all([openPage(url(users[0]!)), openPage(url(users[1]!))]);
    const carol = await openCuttablePage(url(users[2]!));
    const [aliceView, bobView, carolView] = [alice!, bob!, carol].map((p) => p.page.locator('rtm-channel'));
    try {
      for (const text of ['first', 'second', 'third']) await sendText(aliceView!, text);
      for (const text of ['first', 'second', 'third']) await expectInLog(carolView!, text);

      await carol.goOffline();
      await carol.page.getByRole('status').getByText('Reconnecting', { exact: false }).waitFor({ timeout: 20_000 });

      await act(aliceView!, 'first', 'Edit');
      const editor = aliceView!.locator('[part~="edit-input"]');
      await editor.fill('first, edited');
      await editor.press('Enter');
      await expectInLog(bobView!, 'first, edited');

      await act(aliceView!, 'second', 'Retract');
      await bobView!.getByText(`${users[0]} retracted a message`).waitFor();

      await act(bobView!, 'third', 'React');
      await bobView!.getByRole('button', { name: '👍', exact: true }).click();
      await row(aliceView!, 'third').locator('[part~="reaction"]').getByText('👍 1').waitFor();

      await act(bobView!, 'third', 'Reply');
      await bobView!.locator('[part~="reply-bar"]').waitFor();
      await sendText(bobView!, 'agreed');
      await row(aliceView!, 'agreed').locator('[part~="quote"]').getByText('third').waitFor();

      // A mention picked from the members after "@", then a voice message recorded by holding the
      // microphone button (Chromium's fake microphone).
      const box = aliceView!.getByRole('textbox', { name: 'Message' });
      await box.pressSequentially(`@${users[1]!.slice(0, 3)}`);
      await aliceView!.getByRole('option', { name: `@${users[1]}`, exact: true }).click();
      await box.pressSequentially('see this');
      await box.press('Enter');
      await bobView!.locator('[part~="mention"] [part~="bubble"]').getByText(`@${users[1]} see this`).waitFor();
      await aliceView!.getByRole('button', { name: 'Record voice message' }).hover();
      await alice!.page.mouse.down();
      await aliceView!.locator('[part~="recording"]').waitFor();
      await alice!.page.waitForTimeout(1500);
      await alice!.page.mouse.up();
      await bobView!.locator('audio[part~="player"]').waitFor({ timeout: 20_000 });

      // Forward to dave's conversation (from the menu of alice's other conversations).
      await act(aliceView!, 'third', 'Forward');
      await aliceView!.getByRole('menuitem', { name: dave, exact: true }).click();
      const forwarded = await waitForHistory(dave, users[0]!, (texts) => texts.includes('third'));
      assert.deepEqual(forwarded, ['hi alice', 'third'], 'dave got the forwarded text after his own');

      // bob deletes alice's edited message for himself: gone for him only.
      await act(bobView!, 'first, edited', 'Delete for me');
      await row(bobView!, 'first, edited').waitFor({ state: 'detached' });
      await expectInLog(aliceView!, 'first, edited');

      // Search finds the edited text, highlighted, and jumps to it; never the retracted one.
      await aliceView!.getByRole('button', { name: 'Search messages' }).click();
      const search = aliceView!.getByRole('searchbox', { name: 'Search messages' });
      await search.fill('edited');
      await search.press('Enter');
      const hit = aliceView!.locator('[part~="search-result"]').filter({ hasText: 'first, edited' });
      await hit.locator('mark').getByText('edited').waitFor();
      await hit.click();
      await aliceView!.locator('[part~="search-dialog"]').waitFor({ state: 'detached' });
      await row(aliceView!, 'first, edited').waitFor();
      await aliceView!.getByRole('button', { name: 'Search messages' }).click();
      await search.fill('second');
      await search.press('Enter');
      await aliceView!.getByRole('status').getByText('No messages found.').waitFor();
      await search.press('Escape');

      // Back online, no reload: the reconnect catches up on the changes.
      carol.goOnline();
      await expectInLog(carolView!, 'first, edited', 30_000);
      await row(carolView!, 'first, edited').locator('[part~="edited"]').waitFor();
      await carolView!.getByText(`${users[0]} retracted a message`).waitFor();
      assert.equal(await carolView!.getByText('second', { exact: true }).count(), 0, 'the retracted text is gone');
      await row(carolView!, 'third').locator('[part~="reaction"]').getByText('👍 1').waitFor();
      await row(carolView!, 'agreed').locator('[part~="quote"]').getByText('third').waitFor();
      await carolView!.locator('audio[part~="player"]').waitFor();
      // bob's deletion was his alone.
      assert.equal(await row(carolView!, 'first, edited').count(), 1);

      // The companion files came from next to the bundle; the text-only first load needed none.
      assert.deepEqual([...alice!.errors, ...bob!.errors], []);
    } finally {
      await Promise.all([alice!.close(), bob!.close(), carol.close()]);
    }
  });
});
