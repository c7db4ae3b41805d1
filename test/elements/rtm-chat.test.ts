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
