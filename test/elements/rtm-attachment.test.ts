import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import type { RtmAttachmentElement } from '../../src/elements/rtm-attachment/rtm-attachment.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import type { RtmChannelElement } from '../../src/elements/rtm-channel/rtm-channel.js';
import { MAX_MEDIA_BYTES, MediaPaths, type UploadResult } from '../../src/protocol/index.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

/** A PNG drawn in the test, so the browser can decode it and the server can read its size. */
async function pngFile(width: number, height: number, name = 'picture.png'): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#0969da');
  gradient.addColorStop(1, '#f2cc60');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new File([blob], name, { type: 'image/png' });
}

/** Uploads straight to the server's media endpoint, as another client would have. */
async function upload(uid: string, file: Blob): Promise<UploadResult> {
  const response = await fetch(`${serverUrl()}${MediaPaths.upload}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await devToken(uid)}`, 'x-rtm-app-id': appId(), 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  expect(response.status, await response.clone().text()).to.equal(201);
  return (await response.json()) as UploadResult;
}

async function signedIn(content: unknown, uid = uniqueId('viewer')): Promise<RtmChatElement> {
  const chat = await fixture<RtmChatElement>(html`<rtm-chat
    server=${serverUrl()}
    app-id=${appId()}
    user-id=${uid}
    token=${await devToken(uid)}
  >${content}</rtm-chat>`);
  await waitFor(() => chat.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
  return chat;
}

function shadow(el: Element): ShadowRoot {
  return el.shadowRoot!;
}

describe('<rtm-attachment>', () => {
  it('shows a remote image at its aspect ratio and opens it in an accessible lightbox', async () => {
    const uid = uniqueId('alice');
    const file = await pngFile(400, 200, 'wide.png');
    const uploaded = await upload(uid, file);
    const chat = await signedIn(html`<rtm-attachment
      kind="image"
      media-id=${uploaded.mediaId}
      file-name="wide.png"
      size=${uploaded.size}
      width="400"
      height="200"
    ></rtm-attachment>`);
    const el = chat.querySelector<RtmAttachmentElement>('rtm-attachment')!;
    await el.updateComplete;
    const opener = shadow(el).querySelector<HTMLButtonElement>('button[part~="preview"]')!;
    expect(opener.getAttribute('aria-label')).to.equal('Open image wide.png');
    const placeholder = shadow(el).querySelector<HTMLElement>('[part~="thumbnail"]')!;
    const rect = placeholder.getBoundingClientRect();
    expect(rect.width / rect.height).to.be.closeTo(2, 0.05);
    await expect(el).to.be.accessible();

    opener.focus();
    opener.click();
    const dialog = await waitFor(() => shadow(el).querySelector('dialog[open]'), 'the lightbox to open');
    const original = await waitFor(
      () => shadow(el).querySelector<HTMLImageElement>('img[part~="lightbox-image"]'),
      'the original to download',
    );
    await waitFor(() => original.complete && original.naturalWidth > 0, 'the original to decode');
    expect([original.naturalWidth, original.naturalHeight]).to.deep.equal([400, 200]);
    expect(original.alt).to.equal('wide.png');
    await expect(el).to.be.accessible();

    expect(dialog).to.exist;
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !shadow(el).querySelector('dialog[open]'), 'the lightbox to close');
    expect(shadow(el).activeElement, 'focus returns to the image').to.equal(opener);
  });

  it('downloads a remote file with progress to the end, and says so when the file is gone', async () => {
    const uid = uniqueId('alice');
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    const uploaded = await upload(uid, new Blob([bytes], { type: 'application/pdf' }));
    const chat = await signedIn(html`
      <rtm-attachment kind="file" media-id=${uploaded.mediaId} file-name="report.pdf" size=${uploaded.size}></rtm-attachment>
      <rtm-attachment kind="file" media-id="AAAAAAAAAAAAAAAAAAAAAA" file-name="gone.pdf" size="10"></rtm-attachment>
    `);
    const [present, gone] = [...chat.querySelectorAll<RtmAttachmentElement>('rtm-attachment')];
    await present!.updateComplete;
    expect(shadow(present!).querySelector('[part~="name"]')?.textContent).to.equal('report.pdf');
    expect(shadow(present!).querySelector('[part~="size"]')?.textContent).to.match(/3 MB/);
    const download = shadow(present!).querySelector<HTMLButtonElement>('button[part~="download-button"]')!;
    expect(download.getAttribute('aria-label')).to.equal('Download report.pdf');
    await expect(present).to.be.accessible();

    // The saved file is the browser's business; what the user sees is progress, then Download again.
    // A loopback download can finish between two polls, so watch the DOM for the progress bar.
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const bar = shadow(present!).querySelector('progress');
      if (bar) seen.push(`${bar.value}`);
    });
    observer.observe(shadow(present!), { subtree: true, childList: true, attributes: true });
    download.click();
    await waitFor(() => seen.length > 0, 'a progress bar');
    await waitFor(() => shadow(present!).querySelector('button[part~="download-button"]'), 'the download to finish', 20_000);
    observer.disconnect();
    expect(shadow(present!).querySelector('[part~="error"]')).to.equal(null);

    shadow(gone!).querySelector<HTMLButtonElement>('button[part~="download-button"]')!.click();
    const error = await waitFor(() => shadow(gone!).querySelector('[part~="error"]'), 'the failure');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(shadow(gone!).querySelector('button[part~="retry-button"]')?.getAttribute('aria-label')).to.equal('Retry download of gone.pdf');
  });
});

describe('<rtm-channel> with files', () => {
  async function pair() {
    const aliceId = uniqueId('alice');
    const bobId = uniqueId('bob');
    const alice = await signedIn(html`<rtm-channel peer=${bobId}></rtm-channel>`, aliceId);
    const bob = await signedIn(html`<rtm-channel peer=${aliceId}></rtm-channel>`, bobId);
    return {
      alice: alice.querySelector<RtmChannelElement>('rtm-channel')!,
      bob: bob.querySelector<RtmChannelElement>('rtm-channel')!,
    };
  }

  function attachments(view: RtmChannelElement): RtmAttachmentElement[] {
    return deepQueryAll<RtmAttachmentElement>(view, 'rtm-attachment');
  }

  it('has an "Attach file" button, and refuses empty and too-large files inline before any upload', async () => {
    const { alice } = await pair();
    const attach = deepQueryAll<HTMLButtonElement>(alice, 'button').find((b) => b.getAttribute('aria-label') === 'Attach file');
    expect(attach).to.exist;
    const input = deepQuery<HTMLInputElement>(alice, 'input[type="file"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([], 'empty.txt', { type: 'text/plain' }));
    transfer.items.add(new File([new Uint8Array(MAX_MEDIA_BYTES + 1)], 'huge.bin'));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const alert = await waitFor(
      () => deepQueryAll<HTMLElement>(alice, '[role="alert"]').find((a) => (a.textContent ?? '').length > 0),
      'the inline refusal',
    );
    expect(alert.textContent).to.contain('empty.txt');
    expect(alert.textContent).to.contain('huge.bin');
    expect(attachments(alice), 'nothing was added or uploaded').to.have.length(0);
  });

  it('sends dropped files, each its own message, with progress while uploading; bob sees them', async () => {
    const { alice, bob } = await pair();
    const image = await pngFile(300, 150, 'drop.png');
    const text = new File(['hello file'], 'notes.txt', { type: 'text/plain' });
    const transfer = new DataTransfer();
    transfer.items.add(image);
    transfer.items.add(text);
    alice.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await alice.updateComplete;
    expect(deepQuery(alice, '[part~="drop-hint"]'), 'the drop hint shows while dragging').to.exist;
    alice.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await waitFor(() => attachments(alice).length === 2, 'two messages at once');
    await waitFor(() => attachments(bob).length === 2, 'bob to get both', 20_000);
    const names = attachments(bob).map((a) => a.shadowRoot?.querySelector('[part~="name"], button[part~="preview"]'));
    expect(names.length).to.equal(2);
    const bobImage = attachments(bob).find((a) => a.message?.attachment?.kind === 'image')!;
    expect(bobImage.message!.attachment!.thumbnailUrl).to.match(/^data:image\//);
    expect([bobImage.message!.attachment!.width, bobImage.message!.attachment!.height]).to.deep.equal([300, 150]);
    await expect(alice).to.be.accessible();
    await expect(bob).to.be.accessible();
  });
});
