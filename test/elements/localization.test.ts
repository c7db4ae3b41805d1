import { expect, fixture } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import { availableLocales, registerLocale } from '../../src/index.js';
import { currentLocale, isRightToLeft, matchLocale } from '../../src/elements/internal/locale.js';
import { formatBytes } from '../../src/elements/internal/format.js';
import { appId, deepQuery, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

/**
 * Everything a person can read in `root` and every shadow root below it: text, accessible names,
 * titles, placeholders and alt texts (style and script contents aside).
 */
function readableTexts(root: Element | ShadowRoot): string[] {
  const texts: string[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const parent = child.parentElement?.tagName;
        if (parent !== 'STYLE' && parent !== 'SCRIPT' && child.textContent!.trim()) texts.push(child.textContent!.trim());
      } else if (child instanceof Element) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) {
          const value = child.getAttribute(name);
          if (value?.trim()) texts.push(value.trim());
        }
        if (child.shadowRoot) visit(child.shadowRoot);
        visit(child);
      }
    }
  };
  visit(root);
  return texts;
}

/** The texts with a word in Latin letters, once the given user content (ids, names) is taken out. */
function englishLeft(root: Element | ShadowRoot, userContent: readonly string[]): string[] {
  return readableTexts(root)
    .map((text) => userContent.reduce((rest, content) => rest.split(content).join(''), text))
    .filter((text) => /[A-Za-z]{2,}/.test(text));
}

const chatFor = async (uid: string, attributes: string) => {
  const el = await fixture<RtmChatElement>(
    Object.assign(document.createElement('div'), {
      innerHTML: `<rtm-chat ${attributes} server="${serverUrl()}" app-id="${appId()}" user-id="${uid}" token="${await devToken(uid)}"></rtm-chat>`,
    }).firstElementChild as RtmChatElement,
  );
  await waitFor(() => el.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
  return el;
};

// These tests share one page, and the widget has one language per page: registerLocale first
// (before any other language is used), and every test puts English back.
describe('localization', () => {
  afterEach(async () => {
    for (const chat of document.querySelectorAll('rtm-chat')) chat.remove();
    document.documentElement.lang = 'en';
    const { useLocale } = await import('../../src/elements/internal/locale.js');
    await useLocale('en');
  });

  it('a site adds a locale with registerLocale (a flat catalog by message id), without forking', async () => {
    // Ids from xliff/*.xlf (dist/rtm-chat.messages.json lists them): "Message", "Send", "Messages with {0}".
    registerLocale('fr', async () => ({ s79e8cc71a5975b04: 'Message', s57adf424d57c8a0f: 'Envoyer', sd27c1fc84d8dd171: 'Messages avec {0}' }));
    expect(availableLocales()).to.include.members(['en', 'zh-CN', 'ar', 'fr']);
    const uid = uniqueId('fr');
    const peer = uniqueId('ami');
    const el = await chatFor(uid, `locale="fr-FR" peer="${peer}"`);
    const channel = await waitFor(() => el.shadowRoot!.querySelector('rtm-channel'), 'the conversation');
    await waitFor(() => channel.shadowRoot?.querySelector('rtm-composer')?.shadowRoot?.querySelector('button[part~="send-button"]')?.textContent?.trim() === 'Envoyer', 'Envoyer');
    expect(deepQuery(channel, '[role="log"]')?.getAttribute('aria-label')).to.equal(`Messages avec ${peer}`);
    expect(() => registerLocale('de', async () => ({}))).to.throw(/before the first <rtm-chat> shows one/);
    expect(() => registerLocale('not a tag', async () => ({}))).to.throw(TypeError);
  });

  it('zh-CN: the inbox (and its New conversation form), a conversation, the composer, an attachment and an error show no English', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [uid, writer] = [uniqueId('li'), uniqueId('wang')];
    const bob = await loggedInClient(writer);
    await bob.sendMessageToPeer({ text: '你好，这是一条消息' }, uid);
    const file = await bob.createMediaMessageByUploading(new Blob(['季度报告'], { type: 'text/plain' }), { messageType: 'FILE', fileName: '报告.txt' });
    await bob.sendMessageToPeer(file, uid);

    const el = await chatFor(uid, 'lang="zh-CN"');
    const userContent = [uid, writer, '报告.txt'];
    // The inbox.
    const list = await waitFor(() => el.shadowRoot!.querySelector('rtm-conversation-list'), 'the inbox');
    const entry = await waitFor(() => list.shadowRoot?.querySelector<HTMLButtonElement>('[part~="conversation"]'), 'bob’s conversation');
    await waitFor(() => readableTexts(el.shadowRoot!).some((text) => text.includes('文件：')), 'the preview in Chinese');
    expect(englishLeft(el.shadowRoot!, userContent), 'the inbox').to.deep.equal([]);

    // The New conversation form, for a person and for a channel, with an id it refuses.
    const start = list.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-conversation-button"]')!;
    start.click();
    const idInput = await waitFor(() => list.shadowRoot!.querySelector<HTMLInputElement>('[part~="new-conversation-input"]'), 'the New conversation form');
    idInput.value = 'x/y';
    idInput.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await waitFor(() => readableTexts(list.shadowRoot!).includes('这不是有效的用户标识。'), 'the id’s error in Chinese');
    expect(englishLeft(el.shadowRoot!, userContent), 'the New conversation form').to.deep.equal([]);
    list.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="new-conversation-kind"] input')[1]!.click();
    await waitFor(() => readableTexts(list.shadowRoot!).includes('这不是有效的频道名称。'), 'the channel name’s error in Chinese');
    expect(englishLeft(el.shadowRoot!, userContent), 'the form for a channel').to.deep.equal([]);
    await expect(el).to.be.accessible();
    start.click();
    await waitFor(() => !list.shadowRoot!.querySelector('[part~="new-conversation-form"]'), 'the form closed');

    // The conversation: messages, the file, receipts, the composer.
    entry.click();
    const channel = await waitFor(() => el.shadowRoot!.querySelector('rtm-channel'), 'the conversation');
    await waitFor(() => readableTexts(channel.shadowRoot!).some((text) => text.includes('下载')), 'the file’s Download button');
    const composer = channel.shadowRoot!.querySelector('rtm-composer')!;
    expect(composer.shadowRoot!.querySelector('textarea')!.getAttribute('aria-label')).to.equal('消息');
    expect(englishLeft(el.shadowRoot!, userContent), 'the conversation').to.deep.equal([]);

    // An error, in Chinese: a message over the size limit, refused before it is sent.
    const textarea = composer.shadowRoot!.querySelector('textarea')!;
    textarea.value = '长'.repeat(40_000);
    textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await waitFor(() => readableTexts(composer.shadowRoot!).includes('消息太长。'), 'the error in Chinese');
    textarea.value = '';
    textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    expect(englishLeft(el.shadowRoot!, userContent), 'the error').to.deep.equal([]);
    await expect(el).to.be.accessible();
    await bob.logout();
  });

  it('switches live: the locale property, then the page’s lang, and sizes and counts follow', async () => {
    const el = await chatFor(uniqueId('live'), `peer="${uniqueId('peer')}"`);
    const label = () =>
      el.shadowRoot!.querySelector('rtm-channel')?.shadowRoot?.querySelector('rtm-composer')?.shadowRoot?.querySelector('textarea')?.getAttribute('aria-label');
    await waitFor(() => label() === 'Message', 'English first');
    el.locale = 'zh-CN';
    await waitFor(() => label() === '消息', 'Chinese after locale = zh-CN');
    expect(formatBytes(2048)).to.equal('2 kB'.replace('kB', new Intl.NumberFormat('zh-CN', { style: 'unit', unit: 'kilobyte', unitDisplay: 'short' }).formatToParts(2).find((part) => part.type === 'unit')!.value));
    el.locale = undefined;
    await waitFor(() => label() === 'Message', 'English again, from the page’s lang');
    document.documentElement.lang = 'ar-EG';
    await waitFor(() => label() === 'رسالة', 'Arabic after the page’s lang changed');
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(currentLocale()).to.equal('ar');
    await expect(el).to.be.accessible();
  });

  it('keeps a dir the page set itself', async () => {
    const el = await chatFor(uniqueId('dir'), `dir="ltr" locale="ar" peer="${uniqueId('peer')}"`);
    await waitFor(() => currentLocale() === 'ar', 'Arabic');
    expect(el.getAttribute('dir')).to.equal('ltr');
  });

  it('matches a requested tag to the closest locale it has', () => {
    expect(matchLocale('zh-CN')).to.equal('zh-CN');
    expect(matchLocale('zh')).to.equal('zh-CN');
    expect(matchLocale('zh-Hans-SG')).to.equal('zh-CN');
    expect(matchLocale('zh-TW')).to.equal('en', 'Traditional Chinese is another script');
    expect(matchLocale('ar-EG')).to.equal('ar');
    expect(matchLocale('EN-us')).to.equal('en');
    expect(matchLocale('xx-unknown')).to.equal('en');
    expect(matchLocale('not a tag!')).to.equal('en');
    expect(matchLocale(undefined)).to.equal('en');
    expect(isRightToLeft('ar')).to.be.true;
    expect(isRightToLeft('he-IL')).to.be.true;
    expect(isRightToLeft('zh-CN')).to.be.false;
  });
});
