// The demo's language switch: the two sessions switch to Simplified Chinese and to Arabic live,
// chat in them, and Arabic lays the widget out mirrored (checked by where things are, with
// screenshots of both in .test-results/ to look at).
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { endToEnd, expectInLog, sendText } from './helpers.js';

const { server, openPage } = endToEnd('locales');

async function box(locator: Locator) {
  const rect = await locator.boundingBox();
  assert.ok(rect, 'the element is laid out');
  return rect;
}

describe('demo page: language switch', () => {
  it('switches both sessions to zh-CN and to Arabic (right to left) live, and they chat in them', async () => {
    mkdirSync('.test-results', { recursive: true });
    const opened = await openPage(`${server.url}/?lang=zh-CN`);
    const { page } = opened;
    try {
      const alicePeer = page.locator('#alice rtm-channel[peer="bob"]');
      const bobPeer = page.locator('#bob rtm-channel[peer="alice"]');
      // Started in Chinese from ?lang=zh-CN: the composer is "消息", the button "发送".
      await alicePeer.getByRole('textbox', { name: '消息' }).waitFor({ timeout: 15_000 });
      await alicePeer.getByRole('button', { name: '发送', exact: true }).waitFor();
      const hello = `你好 bob ${Date.now()}`;
      await alicePeer.getByRole('textbox', { name: '消息' }).fill(hello);
      await alicePeer.getByRole('textbox', { name: '消息' }).press('Enter');
      await expectInLog(bobPeer, hello);
      // Bob has it on screen, so alice's message goes on to 已读 (Read).
      await alicePeer.getByRole('log').getByText('已读', { exact: true }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: '.test-results/demo-zh-CN.png', fullPage: true });

      await page.getByLabel('Language').selectOption('ar');
      await alicePeer.getByRole('textbox', { name: 'رسالة' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#alice').getAttribute('dir'), 'rtl');
      const reply = `مرحبا alice ${Date.now()}`;
      await bobPeer.getByRole('textbox', { name: 'رسالة' }).fill(reply);
      await bobPeer.getByRole('button', { name: 'إرسال', exact: true }).click();
      await expectInLog(alicePeer, reply);

      // Mirrored: alice's own message sits at the log's left end, bob's at its right end, and the
      // Send button is left of the textbox.
      const log = await box(alicePeer.getByRole('log'));
      const own = await box(alicePeer.locator('[part~="message-own"]', { hasText: hello }).first());
      const other = await box(alicePeer.locator('[part~="message-other"]', { hasText: reply }).first());
      assert.ok(own.x - log.x < log.x + log.width - (own.x + own.width), 'own message at the left end');
      assert.ok(log.x + log.width - (other.x + other.width) < other.x - log.x, 'the other’s message at the right end');
      const input = await box(alicePeer.getByRole('textbox', { name: 'رسالة' }));
      const send = await box(alicePeer.getByRole('button', { name: 'إرسال', exact: true }));
      assert.ok(send.x + send.width <= input.x + 1, 'Send left of the textbox');
      await page.screenshot({ path: '.test-results/demo-ar.png', fullPage: true });

      await page.getByLabel('Language').selectOption('en');
      await alicePeer.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#alice').getAttribute('dir'), 'ltr');
      await sendText(alicePeer, `back in English ${Date.now()}`);
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.close();
    }
  });
});
