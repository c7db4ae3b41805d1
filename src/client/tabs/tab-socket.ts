import { HUB_ANSWER_TIMEOUT_MS } from '../../protocol/index.js';
import { createClientMessageId } from '../ids.js';
import { SOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from '../socket.js';
import type { FromHub, ToHub } from './tab-messages.js';

/**
 * A WebSocket constructor whose sockets reach the server through the leader tab's
 * `ConnectionHub` on the BroadcastChannel `name`. Opening waits for a hub to answer; without one
 * in time the socket closes (1006) and the client tries again with its usual backoff. A socket
 * closes when its hub goes or a new hub takes over, as a real one does when its server goes.
 */
export function tabSocketClass(name: string): WebSocketConstructor {
  return class TabSocket implements WebSocketLike {
    readyState = 0;
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    readonly #tab = createClientMessageId();
    readonly #link = new BroadcastChannel(name);
    readonly #open: ToHub;
    #hub: string | undefined;
    #timer: ReturnType<typeof setTimeout>;

    constructor(url: string) {
      this.#open = { op: 'open', tab: this.#tab, url };
      this.#link.onmessage = ({ data }: MessageEvent<FromHub>) => this.#fromHub(data);
      this.#link.postMessage(this.#open);
      this.#timer = setTimeout(() => this.#closed(1006, 'no leader tab answered'), HUB_ANSWER_TIMEOUT_MS);
    }

    send(data: string): void {
      if (this.readyState !== SOCKET_OPEN) throw new Error('The tab socket is not open.');
      this.#link.postMessage({ op: 'send', tab: this.#tab, data } satisfies ToHub);
    }

    close(): void {
      if (this.readyState > 1) return;
      this.#link.postMessage({ op: 'close', tab: this.#tab } satisfies ToHub);
      this.#closed(1000, '');
    }

    #fromHub(message: FromHub): void {
      if (message.op === 'up') {
        // A new leader: an open socket belonged to the old one; a waiting one asks the new one.
        if (this.#hub === undefined) this.#link.postMessage(this.#open);
        else if (message.hub !== this.#hub) this.#closed(1001, 'leader tab changed');
        return;
      }
      if (message.op === 'opened') {
        if (message.tab !== this.#tab || this.#hub !== undefined) return;
        clearTimeout(this.#timer);
        this.#hub = message.hub;
        this.readyState = SOCKET_OPEN;
        this.onopen?.({});
        return;
      }
      if (message.hub !== this.#hub || (message.tab ?? this.#tab) !== this.#tab) return;
      if (message.op === 'closed') this.#closed(message.code, message.reason);
      else if (message.skip !== this.#tab) this.onmessage?.({ data: message.data });
    }

    #closed(code: number, reason: string): void {
      if (this.readyState > 1) return;
      this.readyState = 3;
      clearTimeout(this.#timer);
      this.#link.close();
      this.onclose?.({ code, reason });
    }
  };
}
