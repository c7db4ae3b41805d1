import type { WebSocketConstructor } from '../socket.js';
import { ConnectionHub } from './connection-hub.js';
import { tabSocketClass } from './tab-socket.js';

/** One connection shared by the tabs of a user (see {@link shareConnection}). */
export interface SharedConnection {
  /** Pass as the client's `WebSocket`: its sockets go through the leader tab. */
  readonly WebSocket: WebSocketConstructor;
  /**
   * Joins the leader election (Web Locks): while this tab holds the lock it runs the hub that
   * holds the real socket. `onLeader` runs when this tab becomes the leader. Returns the function
   * that leaves the election (and, as leader, hands over: the other tabs reconnect to the next).
   */
  elect(onLeader: () => void): () => void;
}

/**
 * Shares one WebSocket among the tabs (and workers) of one origin that use the same `key`
 * (server, app and user). The tab that holds a Web Lock named after the key opens the socket; the
 * others reach it over a BroadcastChannel. When the leader closes, the lock passes to a waiting
 * tab, which takes over. Undefined where Web Locks or BroadcastChannel are missing.
 */
export function shareConnection(key: string, WebSocket: WebSocketConstructor): SharedConnection | undefined {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks || typeof BroadcastChannel !== 'function') return undefined;
  const name = `rtm-chat ${key}`;
  return {
    WebSocket: tabSocketClass(name),
    elect(onLeader) {
      const abort = new AbortController();
      let release: (() => void) | undefined;
      locks
        .request(name, { signal: abort.signal }, () => {
          const hub = new ConnectionHub(name, WebSocket);
          onLeader();
          return new Promise<void>((resolve) => {
            release = () => {
              hub.close();
              resolve();
            };
          });
        })
        .catch(() => {}); // aborted while waiting: this tab left before it led
      return () => {
        abort.abort();
        release?.();
      };
    },
  };
}
