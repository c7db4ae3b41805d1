// alice sends an image and a PDF to bob, in a peer chat and in a channel, through the demo page;
// bob sees the thumbnail at once, opens the image in the lightbox and downloads the PDF intact.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { endToEnd } from './helpers.js';
import { gradientPng, smallPdf } from './sample-files.js';

const { server, openPage } = endToEnd('e2e-media');

async function sendFiles(conversation: Locator, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await conversation.locator('input[type="file"]').setInputFiles(files);
}

async function checkReceived(bobPage: Page, bobView: Locator, png: Buffer, pdf: Buffer, pngName: string, pdfName: string) {
  // The thumbnail comes inside the message: it shows without any download.
  const thumbnail = bobView.getByRole('button', { name: `Open image ${pngName}` }).locator('img');
  await thumbnail.waitFor({ timeout: 20_000 });
  assert.match((await thumbnail.getAttribute('src')) ?? '', /^data:image\//);
  // It is laid out at the original's aspect ratio (640×400) before the original loads.
  const box = await thumbnail.boundingBox();
  assert.ok(box && Math.abs(box.width / box.height - 640 / 400) < 0.05, `aspect ratio kept: ${JSON.stringify(box)}`);

  // The lightbox downloads and shows the original; Escape closes it and focus returns.
  const opener = bobView.getByRole('button', { name: `Open image ${pngName}` });
  await opener.click();
  const dialog = bobPage.getByRole('dialog', { name: pngName });
  const original = dialog.getByRole('img', { name: pngName });
  await original.waitFor({ timeout: 20_000 });
  const natural = await original.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  assert.deepEqual(natural, [640, 400]);
  await bobPage.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await opener.evaluate((el) => el.matches(':focus')), true, 'focus returns to the image button');

  // The PDF downloads under its name with the same bytes.
  const [download] = await Promise.all([
    bobPage.waitForEvent('download', { timeout: 20_000 }),
    bobView.getByRole('button', { name: `Download ${pdfName}` }).click(),
  ]);
  assert.equal(download.suggestedFilename(), pdfName);
  const saved = await readFile((await download.path())!);
  assert.ok(saved.equals(pdf), 'downloaded bytes equal the sent PDF');
  void png;
}

describe('image and file messages', () => {
  it('go from alice to bob in a peer chat and in a channel, with thumbnail, lightbox and download', async () => {
    const alice = await openPage(`${server.url}/`);
    const bob = await openPage(`${server.url}/`, { acceptDownloads: true });
    const alicePage = alice.page;
    const bobPage = bob.page;
    try {
      const png = gradientPng(640, 400);

      const pdf = smallPdf();
      await sendFiles(alicePage.locator('#alice rtm-channel[peer="bob"]'), [
        { name: 'photo.png', mimeType: 'image/png', buffer: png },
        { name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf },
      ]);
      await checkReceived(bobPage, bobPage.locator('#bob rtm-channel[peer="alice"]'), png, pdf, 'photo.png', 'report.pdf');

      const pdf2 = smallPdf();
      await sendFiles(alicePage.locator('#alice rtm-channel[channel="lobby"]'), [
        { name: 'room photo.png', mimeType: 'image/png', buffer: png },
        { name: 'room notes.pdf', mimeType: 'application/pdf', buffer: pdf2 },
      ]);
      await checkReceived(bobPage, bobPage.locator('#bob rtm-channel[channel="lobby"]'), png, pdf2, 'room photo.png', 'room notes.pdf');

      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
