/**
 * Registers a custom element unless the tag is taken: a page may load the widget twice (a script
 * tag and a bundle), and a second `define` would throw. A different class under our tag is worth a
 * warning, since two versions of the widget may then disagree.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, element);
  } else if (existing !== element) {
    console.warn(`<${tag}> is already defined by another copy of rtm-chat; keeping the first one.`);
  }
}
