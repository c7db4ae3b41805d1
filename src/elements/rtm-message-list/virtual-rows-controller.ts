import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VirtualItem } from '@tanstack/virtual-core';
import type { ChatMessage } from '../../store/index.js';
import { importVirtualCore, type VirtualCore } from './load-virtual-core.js';
import type { RowVirtualizer } from './virtual-core.js';

/**
 * Conversations with more messages than this render only the ones in and near the view, through
 * @tanstack/virtual-core, which is loaded then (shorter ones never download it).
 */
export const VIRTUALIZE_ABOVE = 150;

/** The virtualizer module: loaded once per page; undefined when it could not be loaded. */
let virtualCore: Promise<VirtualCore | undefined> | undefined;
/** The loaded module; null once it failed to load. */
let loadedCore: VirtualCore | null | undefined;

function loadVirtualCore(): Promise<VirtualCore | undefined> {
  return (virtualCore ??= importVirtualCore().then(
    (core) => (loadedCore = core),
    (error: unknown) => {
      loadedCore = null;
      console.warn('rtm-chat: rtm-chat.virtual.js did not load', error);
      return undefined;
    },
  ));
}

/** What the controller needs of `<rtm-message-list>`. */
export interface VirtualRowsHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The messages, oldest first: one row each. */
  readonly messages: readonly ChatMessage[];
}

/**
 * The adapter between `<rtm-message-list>` and @tanstack/virtual-core, doing what a framework
 * adapter does: it loads the virtualizer once a conversation is long, creates it from the rows
 * rendered so far, tells it of every change to the messages, sizes and measures the rendered rows
 * after each update, scrolls to a row or to the end, keeps the focused row rendered, and stops it
 * when the conversation is short again.
 *
 * The host's part: call {@link sync} from `willUpdate`; while {@link active}, render the rows of
 * {@link items} inside `.sizer > .items` (each row a `.row` with `data-index` and `data-id`, the
 * message's localId); otherwise render the messages from {@link firstPlainIndex} on.
 */
export class VirtualRowsController implements ReactiveController {
  readonly #host: VirtualRowsHost;
  #virtualizer: RowVirtualizer | undefined;

  constructor(host: VirtualRowsHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Whether only the rows in and near the view are rendered. */
  get active(): boolean {
    return this.#virtualizer !== undefined;
  }

  /** The rows to render while {@link active}: index, key and place of each. */
  get items(): VirtualItem[] {
    return this.#virtualizer?.getVirtualItems() ?? [];
  }

  /**
   * The index of the first message to render while not {@link active}: while the virtualizer loads,
   * at most the newest VIRTUALIZE_ABOVE (the reader's place is kept from the bottom, as always).
   */
  firstPlainIndex(count: number): number {
    return loadedCore === undefined ? Math.max(0, count - VIRTUALIZE_ABOVE) : 0;
  }

  /** Where the row at `index` begins (px from the top of the log), rendered or not; undefined: no such row. */
  startOf(index: number): number | undefined {
    return this.#virtualizer?.measurementsCache[index]?.start;
  }

  scrollToIndex(index: number): void {
    this.#virtualizer?.scrollToIndex(index, { align: 'start' });
  }

  /** Scrolls to the newest message, and keeps following the end while the messages there get measured. */
  scrollToEnd(): void {
    this.#virtualizer?.scrollToEnd();
  }

  /**
   * Brings the virtualizer in line with the host's messages: starts it (or loads it first) once
   * there are more than VIRTUALIZE_ABOVE, tells it of the current ones, stops it at or below.
   * `previous`: the messages before this update, when they changed.
   */
  sync(previous: readonly ChatMessage[] | undefined): void {
    const messages = this.#host.messages;
    if (messages.length <= VIRTUALIZE_ABOVE) {
      if (this.#virtualizer) this.#stop();
    } else if (this.#virtualizer) {
      if (previous) this.#syncMessages();
    } else if (loadedCore) {
      this.#start(loadedCore, previous ?? messages);
    } else if (loadedCore === undefined) {
      // (Once it failed to load, every message is rendered, as before.)
      void loadVirtualCore().then(() => this.#host.requestUpdate());
    }
  }

  hostUpdated(): void {
    const items = this.#host.renderRoot.querySelector<HTMLElement>('.items');
    if (this.#virtualizer && items) loadedCore!.placeRows(this.#virtualizer, items);
  }

  /**
   * Switches to rendering only the messages in view. The virtualizer starts with the rows rendered
   * so far (`shown`, measured) at the scroll position they are at, then takes the current messages
   * the way it takes any change, keeping the message at the top of the view in place.
   */
  #start(core: VirtualCore, shown: readonly ChatMessage[]): void {
    const host = this.#host;
    const virtualizer = core.createRowVirtualizer(host.renderRoot, shown, () => host.messages, () => host.requestUpdate());
    this.#virtualizer = virtualizer;
    // Observes the log now, so the change to the current messages is anchored like any other.
    virtualizer._willUpdate();
    this.#syncMessages();
  }

  #stop(): void {
    // What adapters call on unmount (it returns the virtualizer's cleanup): stops observing the log.
    this.#virtualizer!._didMount()();
    this.#virtualizer = undefined;
  }

  /** Tells the virtualizer the current messages (count and keys). */
  #syncMessages(): void {
    loadedCore!.setRows(this.#virtualizer!, this.#host.messages);
  }
}
