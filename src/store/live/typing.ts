import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import { TYPING_TTL_MS } from '../../protocol/index.js';
import type { ConversationKey } from '../keys.js';

type Timer = ReturnType<typeof setTimeout>;

/** Who is typing, per conversation; each name disappears when its notice expires. */
export class TypingState {
  readonly #atoms = new Map<ConversationKey, WritableAtom<readonly string[]>>();
  readonly #timers = new Map<ConversationKey, Map<string, Timer>>();

  /** The ids typing in `key` (the same atom for the same key). */
  $of(key: ConversationKey): ReadableAtom<readonly string[]> {
    let $typing = this.#atoms.get(key);
    if (!$typing) this.#atoms.set(key, ($typing = atom<readonly string[]>([])));
    return $typing;
  }

  /** `uid` is typing in `key` for `expiresInMs` (renewed by the next notice). */
  started(key: ConversationKey, uid: string, expiresInMs = TYPING_TTL_MS): void {
    let timers = this.#timers.get(key);
    if (!timers) this.#timers.set(key, (timers = new Map()));
    clearTimeout(timers.get(uid));
    timers.set(
      uid,
      setTimeout(() => this.stopped(key, uid), expiresInMs),
    );
    this.#publish(key);
  }

  /** `uid` no longer types in `key` (expired, or their message arrived). */
  stopped(key: ConversationKey, uid: string): void {
    const timers = this.#timers.get(key);
    if (!timers?.has(uid)) return;
    clearTimeout(timers.get(uid));
    timers.delete(uid);
    if (timers.size === 0) this.#timers.delete(key);
    this.#publish(key);
  }

  /** Nobody types any more; every timer stops (session stopped). */
  clear(): void {
    for (const [key, timers] of [...this.#timers]) for (const uid of [...timers.keys()]) this.stopped(key, uid);
  }

  #publish(key: ConversationKey): void {
    (this.$of(key) as WritableAtom<readonly string[]>).set([...(this.#timers.get(key)?.keys() ?? [])]);
  }
}
