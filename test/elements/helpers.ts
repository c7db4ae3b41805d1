// Browser-test helpers for the elements: the real server started by web-test-runner.config.mjs.
declare global {
  interface Window {
    RTM_TEST: { serverUrl: string; appId: string };
  }
}

export const serverUrl = (): string => window.RTM_TEST.serverUrl;
export const appId = (): string => window.RTM_TEST.appId;

/** A user id no other test uses, so tests never see each other's messages. */
export function uniqueUser(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function devToken(uid: string): Promise<string> {
  const response = await fetch(`${serverUrl()}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid, appId: appId() }),
  });
  if (!response.ok) throw new Error(`dev token for ${uid}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Everything inside a shadow root tree that matches, piercing nested shadow roots. */
export function deepQueryAll<E extends Element = Element>(root: Element | ShadowRoot | Document, selector: string): E[] {
  const found: E[] = [];
  const visit = (node: Element | ShadowRoot | Document) => {
    if (node instanceof Element && node.shadowRoot) visit(node.shadowRoot);
    found.push(...(node.querySelectorAll(selector) as NodeListOf<E>));
    for (const element of node.querySelectorAll('*')) {
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(root);
  return found;
}

export function deepQuery<E extends Element = Element>(root: Element | ShadowRoot | Document, selector: string): E | undefined {
  return deepQueryAll<E>(root, selector)[0];
}
