import { RtmError } from '../protocol/index.js';

/**
 * The part of the WebSocket API the transport core uses: handler properties only (no
 * `addEventListener`), so a test or a Worker can pass a small wrapper around a real socket.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

/**
 * An event handler, declared method-style so its parameter is checked bivariantly: the DOM's
 * `(this: WebSocket, ev: MessageEvent) => any` handlers then fit, and the global `WebSocket`
 * is a {@link WebSocketConstructor} without a cast.
 */
export type Handler<E> = { handle(event: E): void }['handle'];

/** A WebSocket constructor: the global `WebSocket`, or a wrapper with the same shape. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket (the standard constant, restated because wrappers may lack it). */
export const SOCKET_OPEN = 1;

/**
 * The socket URL for an rtm-chat server base URL: http→ws, https→wss, and `/ws` appended to the
 * base path (so a server mounted under a path prefix works). Throws INVALID_ARGUMENT for anything
 * that is not an absolute http(s) or ws(s) URL.
 *
 * @example
 * socketUrl('https://chat.example.com') // 'wss://chat.example.com/ws'
 */
export function socketUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new RtmError('INVALID_ARGUMENT', `"server" must be an absolute http(s) URL, got ${JSON.stringify(server)}.`);
  }
  const protocols: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const protocol = protocols[url.protocol];
  if (!protocol) {
    throw new RtmError('INVALID_ARGUMENT', `"server" must be an http(s) URL, got ${JSON.stringify(server)}.`);
  }
  url.protocol = protocol;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
