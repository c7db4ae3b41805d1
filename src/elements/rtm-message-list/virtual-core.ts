/**
 * The message list's virtualizer: @tanstack/virtual-core set up for a log of message rows. Only
 * long conversations need it, so it is loaded on demand (load-virtual-core.ts); in the script-tag
 * build it is the companion file dist/rtm-chat.virtual.js (see vite.config.ts).
 */
import {
  Virtualizer,
  defaultRangeExtractor,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
} from '@tanstack/virtual-core';
import type { ChatMessage } from '../../store/index.js';

/** The height (px) assumed for a message not rendered yet. */
const ESTIMATED_ROW_PX = 60;

/** A virtualizer of message rows in a `[role="log"]` scroll element. */
export type RowVirtualizer = Virtualizer<HTMLElement, HTMLElement>;

/**
 * Starts a virtualizer with the rows rendered so far (`.row` elements with `data-index` into
 * `shown`, measured) at the scroll position they are at; `messages` reads the current messages
 * (for the focused row), `onChange` asks the host to render.
 */
export function createRowVirtualizer(
  root: HTMLElement | DocumentFragment,
  shown: readonly ChatMessage[],
  messages: () => readonly ChatMessage[],
  onChange: () => void,
): RowVirtualizer {
  const log = () => root.querySelector<HTMLElement>('[role="log"]');
  // Each row carries the space above it (no gap or top padding in the log), so its height is all
  // the room it takes; fractional, so the rows' positions add up as the browser laid them out.
  const sizes = [...root.querySelectorAll<HTMLElement>('.row')].map((row) => {
    const size = row.getBoundingClientRect().height;
    // (Only key and size are read from these: the virtualizer computes the rest.)
    return { key: shown[+row.dataset.index!]!.localId, size } as VirtualItem;
  });
  return new Virtualizer<HTMLElement, HTMLElement>({
    count: sizes.length,
    getItemKey: (index) => sizes[index]!.key,
    getScrollElement: log,
    // A one-line message; the rows are measured as they are rendered.
    estimateSize: () => ESTIMATED_ROW_PX,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange,
    // Measures in the next frame, not inside the browser's resize-observer loop: rendering the
    // rows that come into view there would end it with "undelivered notifications".
    useAnimationFrameWithResizeObserver: true,
    // Keeps the message at the top of the view in place when older ones go in above.
    anchorTo: 'end',
    initialOffset: log()?.scrollTop ?? 0,
    initialMeasurementsCache: sizes,
    // The row holding the keyboard focus stays rendered while scrolled out of view: removing it
    // would drop focus to <body>. Found by its message (data-id), since indexes shift when older
    // messages go in above; let go once focus leaves it (the next range change).
    rangeExtractor: (range) => {
      const list = defaultRangeExtractor(range);
      const id = (root as ShadowRoot).activeElement?.closest<HTMLElement>('.row')?.dataset.id;
      const index = messages().findIndex((message) => message.localId === id);
      return index < 0 || list.includes(index) ? list : [...list, index].sort((a, b) => a - b);
    },
  });
}

/**
 * After the host rendered: sizes the sizer, moves the rendered rows to their place and measures
 * them (what framework adapters do after rendering).
 */
export function placeRows(virtualizer: RowVirtualizer, items: HTMLElement): void {
  // Set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
  // (Before the log's size is known nothing is rendered, and "undefinedpx" is ignored.)
  items.parentElement!.style.height = `${virtualizer.getTotalSize()}px`;
  const shown = virtualizer.getVirtualItems();
  items.style.transform = `translateY(${shown[0]?.start}px)`;
  // A row kept for the focus (rangeExtractor) may be far from the others: a margin fills the gap.
  shown.forEach((item, i) => ((items.children[i] as HTMLElement).style.marginTop = `${i && item.start - shown[i - 1]!.end}px`));
  // What framework adapters call after rendering: observes the log, applies scroll anchoring.
  virtualizer._willUpdate();
  for (const row of items.children) virtualizer.measureElement(row as HTMLElement);
}

/** Tells the virtualizer the current messages (count and keys). */
export function setRows(virtualizer: RowVirtualizer, messages: readonly ChatMessage[]): void {
  virtualizer.setOptions({ ...virtualizer.options, count: messages.length, getItemKey: (index) => messages[index]!.localId });
}
