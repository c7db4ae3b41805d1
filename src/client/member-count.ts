import { LARGE_CHANNEL_MEMBERS, LARGE_CHANNEL_MEMBER_COUNT_INTERVAL_MS, MEMBER_COUNT_INTERVAL_MS } from '../protocol/index.js';

/**
 * A joined channel's member count for Agora's `MemberCountUpdated`: set from the server's member
 * list on every join, kept by the join and leave notices in between, and announced at once on a
 * join, then at most once per MEMBER_COUNT_INTERVAL_MS (LARGE_CHANNEL_MEMBER_COUNT_INTERVAL_MS
 * above LARGE_CHANNEL_MEMBERS members) with the latest count, as Agora paces it.
 */
export class MemberCount {
  readonly #announce: (count: number) => void;
  #count = 0;
  #announced: number | undefined;
  #announcedAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(announce: (count: number) => void) {
    this.#announce = announce;
  }

  /** The count the server gave on a join: announced now, whatever was announced before. */
  joined(count: number): void {
    this.stop();
    this.#count = count;
    this.#flush();
  }

  /** A member joined (+1) or left (−1). */
  change(delta: number): void {
    this.#count += delta;
    if (this.#timer !== undefined) return;
    const interval = this.#count > LARGE_CHANNEL_MEMBERS ? LARGE_CHANNEL_MEMBER_COUNT_INTERVAL_MS : MEMBER_COUNT_INTERVAL_MS;
    const wait = this.#announcedAt + interval - Date.now();
    if (wait <= 0) this.#flush();
    else
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, wait);
  }

  /** Left: nothing more is announced. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#announced = undefined;
  }

  #flush(): void {
    this.#announcedAt = Date.now();
    // A join and a leave within one interval: nothing to say.
    if (this.#count === this.#announced) return;
    this.#announced = this.#count;
    this.#announce(this.#count);
  }
}
