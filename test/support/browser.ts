// Shared by the browser tests (client, store, elements): the real server started by
// web-test-runner.config.mjs (window.RTM_TEST), dev tokens, unique ids and polling.
declare global {
  interface Window {
    RTM_TEST: { serverUrl: string; appId: string };
  }
}

export const serverUrl = (): string => window.RTM_TEST.serverUrl;
export const appId = (): string => window.RTM_TEST.appId;

/** A user id (or channel name) no other test uses, so tests never see each other's data. */
export function uniqueId(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A dev token for `uid` from the server's dev endpoint (valid a day, or `expiresInSeconds`). */
export async function devToken(uid: string, expiresInSeconds?: number): Promise<string> {
  const response = await fetch(`${serverUrl()}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid, expiresInSeconds }),
  });
  if (!response.ok) throw new Error(`dev token for ${uid}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Polls until `check` returns a truthy value; fails with `what` when the time is up. */
export async function waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Resolves once an <img src="x"> made now has failed and run its error handler. Payloads that try
 * to run script through an image use that same broken URL, so an image made from a payload while
 * rendering would have failed (and run its handler) by then: the signal to check that none ran.
 */
export function brokenImageSettled(): Promise<void> {
  return new Promise((resolve) => {
    const probe = new Image();
    probe.addEventListener('error', () => setTimeout(resolve), { once: true });
    probe.src = 'x';
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
