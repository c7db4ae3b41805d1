import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmComposerElement } from '../../src/elements/rtm-composer/rtm-composer.js';
import type { RtmComposerVoiceEvent } from '../../src/elements/rtm-composer/voice-recorder.js';
import { waitFor } from './helpers.js';

// The composer's voice recorder (Chromium's fake microphone, granted by the test browser's
// flags) and its mention picker.

const root = (el: RtmComposerElement) => el.shadowRoot!;
const micButton = (el: RtmComposerElement) => root(el).querySelector<HTMLButtonElement>('[part~="record-button"]')!;
const bar = (el: RtmComposerElement) => root(el).querySelector<HTMLElement>('[part~="recording"]');
const timer = (el: RtmComposerElement) => root(el).querySelector<HTMLElement>('[role="timer"]');
const box = (el: RtmComposerElement) => root(el).querySelector('textarea');
const options = (el: RtmComposerElement) => [...root(el).querySelectorAll<HTMLElement>('[role="option"]')];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pointer(el: HTMLElement, type: 'pointerdown' | 'pointerup'): void {
  el.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, button: 0, pointerId: 1, isPrimary: true }));
}

/** A pointer click's click event (detail 1, as after a real press and release). */
function pointerClick(el: HTMLElement): void {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 }));
}

async function recordingStarted(el: RtmComposerElement): Promise<void> {
  await waitFor(() => Boolean(bar(el)), 'the recording bar');
  await el.updateComplete;
}

async function type(el: RtmComposerElement, text: string): Promise<void> {
  const textarea = box(el)!;
  textarea.focus();
  textarea.value = text;
  textarea.setSelectionRange(text.length, text.length);
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  // The picker loads on the first "@" and renders after it arrives.
  await sleep(50);
  await el.updateComplete;
}

describe('<rtm-composer> voice messages', () => {
  it('records by keyboard: press to start (timer, Cancel, no textbox), press again to send the file with its duration', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    expect(micButton(el).getAttribute('aria-label')).to.equal('Record voice message');
    expect(micButton(el).getAttribute('aria-pressed')).to.equal('false');
    micButton(el).click();
    await recordingStarted(el);
    expect(box(el), 'the bar takes the textbox’s place').to.equal(null);
    expect(root(el).querySelector('[part~="send-button"]'), 'no text Send while recording').to.equal(null);
    expect(bar(el)!.getAttribute('aria-label')).to.equal('Recording a voice message');
    expect(micButton(el).getAttribute('aria-label')).to.equal('Send voice message');
    expect(micButton(el).getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
    await waitFor(() => timer(el)?.textContent === '0:01', 'the timer to reach 0:01', 4000);

    setTimeout(() => micButton(el).click());
    const event = (await oneEvent(el, 'rtm-composer-voice')) as unknown as RtmComposerVoiceEvent;
    expect(event.file.type).to.equal('audio/webm');
    expect(event.file.name).to.equal('voice-message.webm');
    expect(event.file.size, 'recorded audio').to.be.greaterThan(100);
    expect(event.durationMs).to.be.within(1000, 4000);
    // The recorded file plays for about as long as it says.
    const audio = new Audio(URL.createObjectURL(event.file));
    await new Promise((resolve, reject) => {
      audio.onloadedmetadata = resolve;
      audio.onerror = reject;
    });
    await el.updateComplete;
    expect(bar(el)).to.equal(null);
    expect(box(el), 'the textbox is back').to.exist;
    await waitFor(() => root(el).activeElement === box(el), 'the keyboard back in the textbox');
  });

  it('holding the button records until release, which sends; Cancel and Escape drop a recording', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    let sent = 0;
    el.addEventListener('rtm-composer-voice', () => sent++);

    pointer(micButton(el), 'pointerdown');
    await recordingStarted(el);
    await sleep(700);
    pointer(micButton(el), 'pointerup');
    pointerClick(micButton(el));
    await waitFor(() => sent === 1, 'the release to send');
    expect(bar(el)).to.equal(null);

    micButton(el).click();
    await recordingStarted(el);
    root(el).querySelector<HTMLButtonElement>('[part~="cancel-recording-button"]')!.click();
    await el.updateComplete;
    expect(bar(el)).to.equal(null);

    micButton(el).click();
    await recordingStarted(el);
    bar(el)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(bar(el)).to.equal(null);
    await sleep(300);
    expect(sent, 'cancelled recordings are not sent').to.equal(1);
  });

  it('a quick tap starts recording and the next tap sends it', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    let sent = 0;
    el.addEventListener('rtm-composer-voice', () => sent++);
    pointer(micButton(el), 'pointerdown');
    await recordingStarted(el);
    pointer(micButton(el), 'pointerup');
    pointerClick(micButton(el));
    await sleep(600);
    expect(bar(el), 'still recording after the tap').to.exist;
    expect(sent).to.equal(0);
    pointer(micButton(el), 'pointerdown');
    pointer(micButton(el), 'pointerup');
    pointerClick(micButton(el));
    await waitFor(() => sent === 1, 'the second tap to send');
  });

  it('says in role=alert when the microphone is not available, and records nothing', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    const original = navigator.mediaDevices.getUserMedia;
    // The fault injected on purpose: the user refused the microphone.
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      micButton(el).click();
      const alert = root(el).querySelector('[role="alert"]')!;
      await waitFor(() => (alert.textContent ?? '').includes('microphone'), 'the refusal');
      expect(alert.textContent).to.equal('The microphone is not available: Permission denied');
      expect(bar(el)).to.equal(null);
    } finally {
      navigator.mediaDevices.getUserMedia = original;
    }
  });
});

describe('<rtm-composer> mentions', () => {
  const members = () => ['bob', 'bella', 'carol'];

  it('lists matching members after "@" and puts the chosen one in the text by keyboard', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer .mentionCandidates=${members}></rtm-composer>`);
    let submitted = 0;
    el.addEventListener('rtm-composer-submit', () => submitted++);
    await type(el, 'hi @');
    await waitFor(() => options(el).length > 0, 'the member list');
    expect(options(el).map((o) => o.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal(['@all everyone here', '@bob', '@bella', '@carol']);
    await type(el, 'hi @b');
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['@bob', '@bella']);
    const textarea = box(el)!;
    expect(textarea.getAttribute('aria-controls')).to.equal('mention-list');
    expect(textarea.getAttribute('aria-activedescendant')).to.equal('mention-0');
    expect(root(el).querySelector('[role="listbox"]')!.getAttribute('aria-label')).to.equal('Members to mention');
    await expect(el).to.be.accessible();

    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(textarea.getAttribute('aria-activedescendant')).to.equal('mention-1');
    expect(options(el)[1]!.getAttribute('aria-selected')).to.equal('true');
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.value).to.equal('hi @bella ');
    expect(submitted, 'Enter chose the member; it did not send').to.equal(0);
    expect(options(el)).to.have.length(0);
    expect(textarea.hasAttribute('aria-activedescendant')).to.be.false;

    // Escape closes the list; the next Enter sends.
    await type(el, 'hi @bella and @c');
    expect(options(el).map((o) => o.textContent!.trim())).to.deep.equal(['@carol']);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(options(el)).to.have.length(0);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(submitted).to.equal(1);
  });

  it('picks with a pointer, keeping the focus in the textbox; no list without candidates or without "@"', async () => {
    const el = await fixture<RtmComposerElement>(html`<rtm-composer .mentionCandidates=${members}></rtm-composer>`);
    await type(el, 'ask @ca');
    await waitFor(() => options(el).length === 1, 'one match');
    options(el)[0]!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.value).to.equal('ask @carol ');
    expect(root(el).activeElement).to.equal(box(el));
    await type(el, 'email me at a@b');
    expect(options(el), 'an @ inside a word is not a mention').to.have.length(0);

    const peer = await fixture<RtmComposerElement>(html`<rtm-composer></rtm-composer>`);
    await type(peer, '@');
    await sleep(100);
    expect(options(peer), 'no picker where mentions are not offered').to.have.length(0);
  });
});
