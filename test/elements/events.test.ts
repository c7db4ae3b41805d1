// The public DOM events, as a page imports them from the package entry: each class names its
// event, carries its detail, and bubbles out of shadow roots (composed) to any ancestor.
import { expect } from '@open-wc/testing';
import * as api from '../../src/index.js';
import { RtmError } from '../../src/protocol/index.js';
import type { ChatMessage } from '../../src/store/index.js';

describe('public events', () => {
  const cases = [
    { Class: api.RtmConnectionChangeEvent, name: 'rtm-connection-change', detail: { state: 'CONNECTED', reason: 'LOGIN_SUCCESS' } },
    { Class: api.RtmMessageEvent, name: 'rtm-message', detail: { conversation: 'peer:bob', message: { text: 'hi' } as ChatMessage } },
    { Class: api.RtmErrorEvent, name: 'rtm-error', detail: { error: new RtmError('INTERNAL_ERROR', 'boom'), conversation: 'peer:bob' } },
    { Class: api.RtmUnreadChangeEvent, name: 'rtm-unread-change', detail: { total: 3 } },
  ] as const;

  for (const { Class: EventClass, name, detail } of cases) {
    it(`${EventClass.name} is "${name}", bubbling and composed, with its detail`, () => {
      expect(EventClass.eventName).to.equal(name);
      const event = new (EventClass as new (detail: unknown) => Event & { detail: unknown })(detail);
      expect(event).to.be.instanceOf(Event);
      expect(event).to.be.instanceOf(EventClass);
      expect(event.type).to.equal(name);
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.cancelable).to.equal(false);
      expect(event.detail).to.equal(detail);

      // Dispatched inside a shadow root, it reaches a listener outside the host.
      const outer = document.createElement('div');
      const host = outer.appendChild(document.createElement('div'));
      const inner = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
      document.body.append(outer);
      let heard: Event | undefined;
      outer.addEventListener(name, (e) => (heard = e));
      inner.dispatchEvent(event);
      outer.remove();
      expect(heard).to.equal(event);
    });
  }

  it('keeps the shared base class out of the package entry', () => {
    expect(Object.keys(api)).to.not.include('RtmEvent');
  });
});
