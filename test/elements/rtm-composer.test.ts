import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmComposerElement, RtmComposerFilesEvent, RtmComposerSubmitEvent } from '../../src/elements/rtm-composer/rtm-composer.js';

function parts(el: RtmComposerElement) {
  const root = el.shadowRoot!;
  return {
    box: root.querySelector('textarea')!,
    send: root.querySelector<HTMLButtonElement>('button[part~="send-button"]')!,
    attach: root.querySelector<HTMLButtonElement>('button[part~="attach-button"]')!,
    alert: root.querySelector('[role="alert"]')!,
  };
}

async function type(el: RtmComposerElement, text: string) {
  const { box } = parts(el);
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
}

describe('<rtm-composer>', () => {
  it('names its textbox "Message" and its buttons "Send" and "Attach file"; Send is disabled while empty or blank', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    const { box, send, attach } = parts(el);
    expect(box.getAttribute('aria-label')).to.equal('Message');
    expect(attach.getAttribute('aria-label')).to.equal('Attach file');
    expect(attach.disabled).to.be.false;
    expect(send.textContent?.trim()).to.equal('Send');
    expect(send.disabled).to.be.true;
    await type(el, '   \n ');
    expect(send.disabled, 'blank text cannot be sent').to.be.true;
    await type(el, 'hi');
    expect(send.disabled).to.be.false;
  });

  it('sends on Enter and keeps Shift+Enter for a new line', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    await type(el, 'first line');
    const { box } = parts(el);
    let submitted = 0;
    el.addEventListener('rtm-composer-submit', () => submitted++);
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true }));
    expect(submitted).to.equal(0);
    setTimeout(() => box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
    const event = (await oneEvent(el, 'rtm-composer-submit')) as unknown as RtmComposerSubmitEvent;
    expect(event.text).to.equal('first line');
  });

  it('shows a refusal in role=alert and keeps the typed text', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    await type(el, 'draft to keep');
    el.showError('Message is too large.');
    await el.updateComplete;
    const { box, alert } = parts(el);
    expect(alert.textContent).to.equal('Message is too large.');
    expect(box.value).to.equal('draft to keep');
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    await type(el, 'draft to keep!');
    expect(alert.textContent, 'typing clears the error').to.equal('');
  });

  it('turns pasted images into files to send, and picked files too', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    const { box } = parts(el);
    const screenshot = new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' });
    const clipboard = new DataTransfer();
    clipboard.items.add(screenshot);
    const paste = new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true });
    setTimeout(() => box.dispatchEvent(paste));
    const pasted = (await oneEvent(el, 'rtm-composer-files')) as unknown as RtmComposerFilesEvent;
    expect(pasted.files.map((f) => f.name)).to.deep.equal(['image.png']);
    expect(paste.defaultPrevented, 'no file name text lands in the box').to.be.true;

    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    const picked = new DataTransfer();
    picked.items.add(new File(['a'], 'a.txt'));
    picked.items.add(new File(['b'], 'b.txt'));
    input.files = picked.files;
    setTimeout(() => input.dispatchEvent(new Event('change')));
    const chosen = (await oneEvent(el, 'rtm-composer-files')) as unknown as RtmComposerFilesEvent;
    expect(chosen.files.map((f) => f.name)).to.deep.equal(['a.txt', 'b.txt']);
  });

  it('is accessible', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    await expect(el).to.be.accessible();
  });
});
