// Messages that change, through the script-tag build and its companion files: two users edit,
// retract, react and reply in a channel through the actions menu, mention from the member picker
// and send a voice message, while a third member is offline;
// when the third comes back online (no reload) their view shows the final state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator, WebSocketRoute } from 'playwright-core';
import { collectPageErrors, endToEnd, expectInLog, sendText } from './helpers.js';

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

describe('messages that change, in the script-tag build', () => {
  it('edit, retract, react and reply while a third member is offline; back online, the third sees the final state', async () => {
    const room = `changes-${Date.now()}`;
    const users = ['alice', 'bob', 'carol'].map((name) => `${name}-${Date.now()}`);
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

      // Back online, no reload: the reconnect catches up on the changes.
      carol.goOnline();
      await expectInLog(carolView!, 'first, edited', 30_000);
      await row(carolView!, 'first, edited').locator('[part~="edited"]').waitFor();
      await carolView!.getByText(`${users[0]} retracted a message`).waitFor();
      assert.equal(await carolView!.getByText('second', { exact: true }).count(), 0, 'the retracted text is gone');
      await row(carolView!, 'third').locator('[part~="reaction"]').getByText('👍 1').waitFor();
      await row(carolView!, 'agreed').locator('[part~="quote"]').getByText('third').waitFor();
      await carolView!.locator('audio[part~="player"]').waitFor();

      // The companion files came from next to the bundle; the text-only first load needed none.
      assert.deepEqual([...alice!.errors, ...bob!.errors], []);
    } finally {
      await Promise.all([alice!.close(), bob!.close(), carol.close()]);
    }
  });
});
