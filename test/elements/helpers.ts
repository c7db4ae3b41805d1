// Browser-test helpers for the elements: shadow-piercing queries, plus the shared server helpers.
export { serverUrl, appId, uniqueId, devToken, waitFor, brokenImageSettled } from '../support/browser.js';

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
