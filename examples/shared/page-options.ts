/**
 * What every example page reads from its URL (`?server=…&user=alice&peer=bob`), and the demo
 * server's dev-token endpoint as the token provider. A real site asks its own backend for tokens.
 */
export interface PageOptions {
  server: string;
  user: string;
  peer: string;
}

/** Where `npm start` runs the chat server: the pages' default when the URL names none. */
export const DEFAULT_SERVER = 'http://localhost:8080';

export function pageOptions(search: string): PageOptions {
  const params = new URLSearchParams(search);
  return {
    server: params.get('server') ?? DEFAULT_SERVER,
    user: params.get('user') ?? 'alice',
    peer: params.get('peer') ?? 'bob',
  };
}

export function devTokenProvider(server: string, uid: string): () => Promise<string> {
  return async () => {
    const response = await fetch(`${server}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uid, appId: 'demo' }),
    });
    if (!response.ok) throw new Error(`Dev token request failed (${response.status})`);
    return ((await response.json()) as { token: string }).token;
  };
}
