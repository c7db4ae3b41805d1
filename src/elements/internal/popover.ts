/**
 * A popover for the menus that views loaded on demand open beside a button (a message's actions,
 * a conversation's menu): one per shadow root (opening one closes the other), placed below the
 * button with their right edges lined up, closed by a pointer outside it, and the keyboard of a
 * menu. The button's `aria-expanded` follows it; closing can give the button its focus back.
 */
export interface Popover {
  /** Where the popover's content is rendered (in the button's shadow root). */
  readonly layer: HTMLElement;
  /** Inline style placing content below the button. */
  readonly position: string;
  close(returnFocus: boolean): void;
  /** A keydown handler: arrows (a grid of `columns`), Home and End move among `selector`; Escape and Tab close. */
  keys(selector: string, columns?: number): (event: KeyboardEvent) => void;
  /** A pointer outside no longer closes it (while it shows a modal dialog, which has its own). */
  stayOpen(): void;
}

const open = new WeakMap<ShadowRoot, Popover>();

export function openPopover(anchor: HTMLElement, className: string): Popover {
  const root = anchor.getRootNode() as ShadowRoot;
  open.get(root)?.close(false);
  const layer = document.createElement('div');
  layer.className = className;
  root.append(layer);
  const rect = anchor.getBoundingClientRect();
  let closed = false;
  const outside = (event: Event) => {
    if (!event.composedPath().includes(layer)) popover.close(false);
  };
  const popover: Popover = {
    layer,
    // Under its button, lined up with the button's end: the right edge, or the left one in a
    // right-to-left layout.
    position:
      getComputedStyle(anchor).direction === 'rtl'
        ? `top:${rect.bottom + 4}px;left:${Math.max(4, rect.left)}px;`
        : `top:${rect.bottom + 4}px;right:${Math.max(4, innerWidth - rect.right)}px;`,
    close(returnFocus) {
      if (closed) return;
      closed = true;
      open.delete(root);
      document.removeEventListener('pointerdown', outside, true);
      anchor.setAttribute('aria-expanded', 'false');
      layer.remove();
      if (returnFocus) anchor.focus();
    },
    keys: (selector, columns = 1) => (event) => {
      const all = [...layer.querySelectorAll<HTMLElement>(selector)];
      const at = all.indexOf(event.target as HTMLElement);
      const step: Record<string, number> = { ArrowDown: columns, ArrowUp: -columns, ArrowRight: 1, ArrowLeft: -1 };
      let next: number | undefined;
      if (event.key in step && at >= 0 && (columns > 1 || event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
        next = (at + step[event.key]! + all.length) % all.length;
      } else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = all.length - 1;
      else if (event.key === 'Escape' || event.key === 'Tab') {
        event.preventDefault();
        popover.close(true);
        return;
      }
      if (next === undefined) return;
      event.preventDefault();
      all[next]!.focus();
    },
    stayOpen: () => document.removeEventListener('pointerdown', outside, true),
  };
  open.set(root, popover);
  document.addEventListener('pointerdown', outside, true);
  anchor.setAttribute('aria-expanded', 'true');
  return popover;
}
