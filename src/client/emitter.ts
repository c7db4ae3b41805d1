/**
 * A tiny typed event emitter (the RTM SDK's `on` / `off` / `once` / `removeAllListeners` surface).
 * Kept free of DOM `EventTarget` so the transport core runs unchanged in a Worker and so listener
 * signatures stay positional, as in the Agora SDK.
 */

/** A map from event name to listener signature. */
export type EventMap = { [event: string]: (...args: any[]) => void };

/**
 * Typed emitter: `on('MessageFromPeer', (message, peerId, props) => …)` is checked against the
 * event map `Events`.
 *
 * @example
 * const emitter = new TypedEmitter<{ ping: (n: number) => void }>();
 * emitter.on('ping', (n) => console.log(n));
 */
export class TypedEmitter<Events extends EventMap> {
  #listeners = new Map<keyof Events, Events[keyof Events][]>();

  /** Adds a listener for `event`. Returns this emitter, for chaining. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return this;
  }

  /** Adds a listener called at most once. Remove it early with `off(event, listener)`. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Events[E];
    // Remember the original so `off(event, listener)` also removes the once-wrapper.
    onceOriginals.set(wrapper, listener);
    return this.on(event, wrapper);
  }

  /** Removes one registration of `listener` for `event` (added with `on` or `once`). */
  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    const list = this.#listeners.get(event);
    if (!list) return this;
    const index = list.findIndex((l) => l === listener || onceOriginals.get(l) === listener);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#listeners.delete(event);
    return this;
  }

  /** Removes every listener of `event`, or of every event when called without one. */
  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  /** How many listeners `event` has (handy for tests that check teardown). */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /**
   * Calls every listener of `event` with `args`. A throwing listener does not stop the others nor
   * the caller (the transport must keep handling frames); its error is reported asynchronously.
   */
  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    // Copy: listeners may add or remove listeners while we iterate.
    for (const listener of [...list]) {
      try {
        listener(...args);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}

const onceOriginals = new WeakMap<(...args: any[]) => void, (...args: any[]) => void>();

function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    setTimeout(() => {
      throw error;
    });
}
