import { MAX_MEMBER_COUNT_QUERY, MAX_PRESENCE_QUERY, RtmError, checkChannelName, checkUserId, type PeerStatus } from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';
import type { Logger } from './log.js';
import type { RequestOptions } from './outbox.js';

/**
 * Users' online status: querying it, and following it across reconnects (the server ends a
 * socket's subscriptions with the socket, so the client keeps the followed users and subscribes
 * again on every new one).
 */

export type { PeerStatus } from '../protocol/index.js';

/** Online status of users, by user id (`ONLINE` or `OFFLINE`). */
export type PeersOnlineStatus = Record<string, PeerStatus>;

/** Whether each user is online now, by user id (Agora's `PeersOnlineStatusResult`). */
export type PeersOnlineStatusResult = Record<string, boolean>;

/** Users joined to each channel now, by channel name (Agora's `ChannelMemberCountResult`). */
export type ChannelMemberCountResult = Record<string, number>;

/** The presence event, merged into the client's events. */
export type PresenceEvents = {
  /**
   * Subscribed users' online status changed (Agora's name): once with the current status right
   * after `subscribePeersOnlineStatus` (and after every reconnect), then on each change.
   */
  PeersOnlineStatusChanged: (status: PeersOnlineStatus) => void;
};

/** Distinct valid user ids, at most MAX_PRESENCE_QUERY; throws INVALID_ARGUMENT or INVALID_USER_ID. */
export function checkPeerIds(peerIds: unknown, method: string): string[] {
  if (!Array.isArray(peerIds)) throw new RtmError('INVALID_ARGUMENT', `${method} needs an array of user ids.`);
  const uids = [...new Set(peerIds as unknown[])];
  if (uids.length > MAX_PRESENCE_QUERY) {
    throw new RtmError('INVALID_ARGUMENT', `${method} takes at most ${MAX_PRESENCE_QUERY} user ids.`);
  }
  for (const uid of uids) {
    const invalid = checkUserId(uid, 'Peer id');
    if (invalid) throw invalid;
  }
  return uids as string[];
}

/** What {@link PresenceRequests} needs of the client. */
export interface PresenceHost {
  /** A request through the client's outbox, refused up front when the session is not usable. */
  request: ChannelHost['request'];
  /** Whether the socket is logged in now. */
  ready(): boolean;
  emit<E extends keyof PresenceEvents>(event: E, ...args: Parameters<PresenceEvents[E]>): void;
  readonly log: Logger;
}

/** The presence requests of the client (documented on its methods) and the users it follows. */
export class PresenceRequests {
  readonly #host: PresenceHost;
  /** Users whose online status this client follows; subscribed again on every new socket. */
  readonly #subscriptions = new Set<string>();

  constructor(host: PresenceHost) {
    this.#host = host;
  }

  /** Forgets the followed users (logout). */
  clear(): void {
    this.#subscriptions.clear();
  }

  query(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'queryPeersOnlineStatus');
      if (uids.length === 0) return Promise.resolve({});
      return this.#host
        .request<'presence.query'>((id) => ({ t: 'presence.query', id, uids }))
        .then((result) => Object.fromEntries(Object.entries(result.status).map(([uid, status]) => [uid, status === 'ONLINE'])));
    });
  }

  subscribe(peerIds: string[]): Promise<void> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'subscribePeersOnlineStatus');
      if (uids.length === 0) return Promise.resolve();
      for (const uid of uids) this.#subscriptions.add(uid);
      return this.#subscribe(uids);
    });
  }

  unsubscribe(peerIds: string[]): Promise<void> {
    return attempt(() => {
      const uids = checkPeerIds(peerIds, 'unsubscribePeersOnlineStatus');
      for (const uid of uids) this.#subscriptions.delete(uid);
      // Subscriptions end with their socket: while it is down there is nothing to undo.
      if (uids.length === 0 || !this.#host.ready()) return Promise.resolve();
      return this.#host.request<'presence.unsubscribe'>((id) => ({ t: 'presence.unsubscribe', id, uids })).then(() => undefined);
    });
  }

  /** The followed users: what Agora's `queryPeersBySubscriptionOption('ONLINE_STATUS')` lists. */
  followed(option: unknown): Promise<string[]> {
    return attempt(() => {
      if (option !== 'ONLINE_STATUS') throw new RtmError('INVALID_ARGUMENT', 'queryPeersBySubscriptionOption takes "ONLINE_STATUS", the one subscription there is.');
      return Promise.resolve([...this.#subscriptions]);
    });
  }

  memberCount(channelIds: string[]): Promise<ChannelMemberCountResult> {
    return attempt(() => {
      const channels = Array.isArray(channelIds) ? [...new Set(channelIds as unknown[])] : undefined;
      if (!channels || channels.length > MAX_MEMBER_COUNT_QUERY) {
        throw new RtmError('INVALID_ARGUMENT', `getChannelMemberCount takes an array of at most ${MAX_MEMBER_COUNT_QUERY} channel ids.`);
      }
      for (const channel of channels) {
        const invalid = checkChannelName(channel);
        if (invalid) throw invalid;
      }
      if (channels.length === 0) return Promise.resolve({});
      const request = (id: number) => ({ t: 'channel.member_count', id, channels: channels as string[] }) as const;
      return this.#host.request<'channel.member_count'>(request).then((result) => result.counts);
    });
  }

  /** On a new socket: presence subscriptions end with their socket, so subscribe afresh. */
  resubscribe(): void {
    const followed = [...this.#subscriptions];
    for (let i = 0; i < followed.length; i += MAX_PRESENCE_QUERY) {
      this.#subscribe(followed.slice(i, i + MAX_PRESENCE_QUERY), { now: true }).catch((error: unknown) =>
        this.#host.log.warn('Could not subscribe to presence again:', error),
      );
    }
  }

  #subscribe(uids: string[], options?: RequestOptions): Promise<void> {
    return this.#host.request<'presence.subscribe'>((id) => ({ t: 'presence.subscribe', id, uids }), options).then((result) => {
      // Only the users still followed: an unsubscribe may have come first.
      const status = Object.fromEntries(Object.entries(result.status).filter(([uid]) => this.#subscriptions.has(uid)));
      if (Object.keys(status).length > 0) this.#host.emit('PeersOnlineStatusChanged', status);
    });
  }
}
