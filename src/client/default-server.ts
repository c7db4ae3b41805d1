/**
 * The server `createInstance` uses when given none. A module build cannot tell where the chat
 * server is (a bundler serves it from the site), so there is none: pass `{ server }`. The
 * script-tag build swaps this module for default-server.iife.ts.
 */
export function defaultServer(): string | undefined {
  return undefined;
}
