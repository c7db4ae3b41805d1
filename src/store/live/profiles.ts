import { atom } from 'nanostores';
import { MAX_DISPLAY_NAME_LENGTH, PROFILE_ATTRIBUTES } from '../../protocol/index.js';
import { conversationKey } from '../keys.js';
import type { SessionContext } from '../session/context.js';

/** A user's display name and avatar, from their user attributes (either may be missing). */
export interface ChatProfile {
  /** Trimmed, at most MAX_DISPLAY_NAME_LENGTH characters (cut with "…"). */
  name?: string;
  /** An http(s) URL. */
  avatar?: string;
}

/** What the signed-in user shows as: '' removes a field, undefined leaves it as it is. */
export interface ChatProfileUpdate {
  name?: string;
  avatar?: string;
}

const KEYS = [PROFILE_ATTRIBUTES.name, PROFILE_ATTRIBUTES.avatar];
/** Profile requests in flight at once: a channel full of new senders asks in a steady stream. */
const MAX_IN_FLIGHT = 8;

/** The profile that user attributes describe; values that cannot be shown are left out. */
export function profileFrom(attributes: Readonly<Record<string, string>>): ChatProfile {
  const profile: ChatProfile = {};
  const name = attributes[PROFILE_ATTRIBUTES.name]?.trim();
  if (name) {
    const characters = [...name];
    profile.name = characters.length > MAX_DISPLAY_NAME_LENGTH ? `${characters.slice(0, MAX_DISPLAY_NAME_LENGTH - 1).join('')}…` : name;
  }
  const avatar = attributes[PROFILE_ATTRIBUTES.avatar];
  // Only web addresses: a data: or javascript: value is not an avatar.
  if (avatar && /^https?:\/\/[^\s/]+/i.test(avatar)) profile.avatar = avatar;
  return profile;
}

/**
 * Display names and avatars of the users the views show: each user's profile attributes are
 * fetched once per sign-in when a view first asks (user attributes have no change push, so a new
 * sign-in asks again for everyone asked before). Users without a profile get an empty one.
 */
export class ProfilesState {
  readonly $profiles = atom<ReadonlyMap<string, ChatProfile>>(new Map());
  readonly #session: SessionContext;
  /** Asked for since the last sign-in (fetched, in flight or queued). */
  readonly #asked = new Set<string>();
  readonly #queued: string[] = [];
  #inFlight = 0;

  constructor(session: SessionContext) {
    this.#session = session;
  }

  /**
   * Fetches the profiles of these users unless asked for already. Views call it while they
   * render, so the work waits for a microtask: nothing changes during their update.
   */
  want(userIds: Iterable<string>): void {
    const wanted = [...userIds];
    queueMicrotask(() => this.#want(wanted));
  }

  #want(userIds: readonly string[]): void {
    for (const uid of userIds) {
      const known = this.$profiles.get().get(uid);
      // A conversation listed after its peer's profile came: give it the profile too.
      if (known) this.#session.list.profile(conversationKey('peer', uid), known);
      if (this.#asked.has(uid)) continue;
      this.#asked.add(uid);
      this.#queued.push(uid);
    }
    this.#pump();
  }

  /** A new sign-in: fetch everyone asked for again (names may have changed meanwhile). */
  resume(): void {
    const asked = [...this.#asked];
    this.#asked.clear();
    this.#queued.length = 0;
    this.#want(asked);
  }

  /** The session stopped. */
  clear(): void {
    this.#asked.clear();
    this.#queued.length = 0;
    this.$profiles.set(new Map());
  }

  /** Writes the signed-in user's profile attributes, then shows it. */
  async setOwn(update: ChatProfileUpdate): Promise<void> {
    const client = this.#session.client;
    if (!client) return;
    const set: Record<string, string> = {};
    const removed: string[] = [];
    for (const [field, key] of Object.entries(PROFILE_ATTRIBUTES) as [keyof ChatProfileUpdate, string][]) {
      const value = update[field]?.trim();
      if (value === undefined) continue;
      if (value) set[key] = value;
      else removed.push(key);
    }
    if (Object.keys(set).length > 0) await client.addOrUpdateLocalUserAttributes(set);
    if (removed.length > 0) await client.deleteLocalUserAttributesByKeys(removed);
    this.#asked.delete(this.#session.userId);
    this.#want([this.#session.userId]);
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queued.length > 0) {
      const uid = this.#queued.shift()!;
      const client = this.#session.liveClient();
      // Not signed in: resume() asks again at the next sign-in.
      if (!client) return;
      this.#inFlight++;
      client
        .getUserAttributesByKeys(uid, KEYS)
        .then(
          (attributes) => {
            if (client !== this.#session.client || !this.#asked.has(uid)) return;
            const profile = profileFrom(attributes);
            const profiles = new Map(this.$profiles.get());
            profiles.set(uid, profile);
            this.$profiles.set(profiles);
            this.#session.list.profile(conversationKey('peer', uid), profile);
          },
          (error: unknown) => {
            // Asked again by the next view that shows the user.
            this.#asked.delete(uid);
            this.#session.reportBackground(error);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }
}
