import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import { RtmChatElement as RtmChatClass } from '../../src/index.js';
import { defineElement } from '../../src/elements/internal/define-element.js';
import { appId, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

function banner(el: RtmChatElement): HTMLElement {
  return el.shadowRoot!.querySelector('[role="status"]')!;
}

describe('<rtm-chat>', () => {
  it('signs in, announces the connection and hides its banner once connected', async () => {
    const uid = uniqueId('alice');
    const token = await devToken(uid);
    const el = await fixture<RtmChatElement>(html`<rtm-chat></rtm-chat>`);
    expect(banner(el).textContent).to.contain('Set server');
    const connected = new Promise<void>((resolve) =>
      el.addEventListener('rtm-connection-change', (event) => {
        if (event.detail.state === 'CONNECTED') resolve();
      }),
    );
    el.setAttribute('server', serverUrl());
    el.setAttribute('app-id', appId());
    el.setAttribute('user-id', uid);
    el.setAttribute('token', token);
    await el.updateComplete;
    expect(banner(el).hidden).to.be.false;
    await connected;
    await el.updateComplete;
    expect(banner(el).hidden).to.be.true;
    expect(el.session).to.exist;
  });

  it('reports a refused token with rtm-error and a banner, without retrying forever', async () => {
    const uid = uniqueId('mallory');
    const token = await devToken(uniqueId('someone-else'));
    const el = await fixture<RtmChatElement>(html`<rtm-chat
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${uid}
      token=${token}
    ></rtm-chat>`);
    const { detail } = await oneEvent(el, 'rtm-error');
    expect(detail.error.reason).to.equal('TOKEN_MISMATCH');
    await waitFor(() => banner(el).textContent?.includes('Could not sign in'), 'the sign-in failure banner');
    expect(el.shadowRoot!.querySelector('button[part="reconnect-button"]')).to.exist;
  });

  it('uses tokenProvider for the token', async () => {
    const uid = uniqueId('provider');
    const el = document.createElement('rtm-chat');
    let asked = 0;
    el.tokenProvider = () => {
      asked++;
      return devToken(uid);
    };
    el.setAttribute('server', serverUrl());
    el.setAttribute('app-id', appId());
    el.setAttribute('user-id', uid);
    const connected = new Promise<void>((resolve) =>
      el.addEventListener('rtm-connection-change', (event) => event.detail.state === 'CONNECTED' && resolve()),
    );
    document.body.append(el);
    try {
      await connected;
      expect(asked).to.be.greaterThan(0);
    } finally {
      el.remove();
    }
  });

  it('opens the conversation named by peer when it has no child views', async () => {
    const uid = uniqueId('solo');
    const el = await fixture<RtmChatElement>(html`<rtm-chat
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${uid}
      token=${await devToken(uid)}
      peer="bob"
    ></rtm-chat>`);
    const view = el.shadowRoot!.querySelector('rtm-channel');
    expect(view?.peer).to.equal('bob');
  });

  it('registers each tag once even when the widget is loaded twice', async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      defineElement('rtm-chat', RtmChatClass);
      expect(warnings, 'the same class again is silent').to.have.length(0);
      class OtherCopy extends HTMLElement {}
      defineElement('rtm-chat', OtherCopy);
      expect(customElements.get('rtm-chat')).to.equal(RtmChatClass);
      expect(warnings).to.have.length(1);
    } finally {
      console.warn = warn;
    }
  });

  it('is accessible', async () => {
    const uid = uniqueId('a11y');
    const el = await fixture<RtmChatElement>(html`<rtm-chat
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${uid}
      token=${await devToken(uid)}
      channel="a11y-room"
    ></rtm-chat>`);
    await expect(el).to.be.accessible();
  });
});

describe('<rtm-chat mode="popup">', () => {
  it('shows a launcher with the total unread count that opens and closes the panel', async () => {
    const uid = uniqueId('popup');
    const sender = uniqueId('sender');
    const el = await fixture<RtmChatElement>(html`<rtm-chat
      mode="popup"
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${uid}
      token=${await devToken(uid)}
    ></rtm-chat>`);
    await waitFor(() => el.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
    const launcher = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="launcher"]')!;
    const panel = el.shadowRoot!.querySelector<HTMLElement>('[part~="panel"]')!;
    expect(launcher.getAttribute('aria-label')).to.equal('Open chat');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(panel.hidden).to.be.true;

    // Someone writes while the panel is closed: the launcher shows "1 unread" and the page hears it.
    const unread = new Promise<number>((resolve) =>
      el.addEventListener('rtm-unread-change', (event) => event.detail.total > 0 && resolve(event.detail.total)),
    );
    const other = document.createElement('rtm-chat');
    other.setAttribute('server', serverUrl());
    other.setAttribute('app-id', appId());
    other.setAttribute('user-id', sender);
    other.setAttribute('token', await devToken(sender));
    other.setAttribute('peer', uid);
    other.hidden = true;
    document.body.append(other);
    try {
      await waitFor(() => other.session?.$connection.get().state === 'CONNECTED', 'the sender to connect');
      await other.session!.send(other.session!.conversationKey('peer', uid), 'are you there?');
      expect(await unread).to.equal(1);
      await waitFor(() => el.shadowRoot!.querySelector('[part~="launcher-badge"]')?.textContent === '1 unread', 'the badge');
    } finally {
      other.remove();
    }

    launcher.click();
    await waitFor(() => !panel.hidden, 'the panel to open');
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    await waitFor(() => el.shadowRoot!.activeElement?.getAttribute('part') === 'close-button', 'focus in the panel');
    await expect(el).to.be.accessible();
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await waitFor(() => panel.hidden, 'Escape to close the panel');
    await waitFor(() => el.shadowRoot!.activeElement === launcher, 'focus back on the launcher');
  });
});

describe('<rtm-chat> inbox', () => {
  it('lists conversations with unread badges and online dots, and opens one', async () => {
    const uid = uniqueId('inbox');
    const friend = uniqueId('friend');
    // friend writes first, and stays signed in (online).
    const other = document.createElement('rtm-chat');
    other.setAttribute('server', serverUrl());
    other.setAttribute('app-id', appId());
    other.setAttribute('user-id', friend);
    other.setAttribute('token', await devToken(friend));
    other.setAttribute('peer', uid);
    other.hidden = true;
    document.body.append(other);
    try {
      await waitFor(() => other.session?.$connection.get().state === 'CONNECTED', 'the friend to connect');
      await other.session!.send(other.session!.conversationKey('peer', uid), 'hello inbox');
      const el = await fixture<RtmChatElement>(html`<rtm-chat
        server=${serverUrl()}
        app-id=${appId()}
        user-id=${uid}
        token=${await devToken(uid)}
      ></rtm-chat>`);
      const list = await waitFor(() => el.shadowRoot!.querySelector('rtm-conversation-list'), 'the inbox list');
      const row = await waitFor(() => list.shadowRoot!.querySelector('li'), 'an entry');
      expect(row.querySelector('button')?.textContent?.trim()).to.equal(friend);
      await waitFor(() => row.querySelector('[part~="badge"]')?.textContent === '1 unread', 'the unread badge');
      await waitFor(() => list.shadowRoot!.querySelector('[part~="presence"].online'), 'the online dot');
      await expect(el).to.be.accessible();
      row.querySelector('button')!.click();
      const view = await waitFor(() => el.shadowRoot!.querySelector('rtm-channel'), 'the conversation to open');
      expect(view.peer).to.equal(friend);
    } finally {
      other.remove();
    }
  });
});

describe('<rtm-chat unread-in-title>', () => {
  it('puts the total unread count in front of the document title and puts the title back when removed', async () => {
    const { loggedInClient } = await import('../client/helpers.js');
    const [uid, sender] = [uniqueId('titled'), uniqueId('writer')];
    const before = document.title;
    const title = 'Shop';
    document.title = title;
    // Its own view is an empty container, so the conversation stays unread.
    const el = await fixture<RtmChatElement>(html`<rtm-chat
      unread-in-title
      server=${serverUrl()}
      app-id=${appId()}
      user-id=${uid}
      token=${await devToken(uid)}
      ><div></div></rtm-chat>`);
    await waitFor(() => el.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
    const writer = await loggedInClient(sender);
    try {
      const unread = new Promise<number>((resolve) => el.addEventListener('rtm-unread-change', (event) => event.detail.total > 0 && resolve(event.detail.total)));
      await writer.sendMessageToPeer({ text: 'one' }, uid);
      expect(await unread).to.equal(1);
      await waitFor(() => document.title === `(1) ${title}`, 'the count in the title');
      await writer.sendMessageToPeer({ text: 'two' }, uid);
      await waitFor(() => document.title === `(2) ${title}`, 'the new count in the title');
    } finally {
      await writer.logout();
    }
    el.remove();
    await waitFor(() => document.title === title, 'the title as it was');
    document.title = before;
  });
});
