/**
 * The multi-node PresenceRouter: several server nodes share one Redis, and a connection on any
 * node sees the users, channel members, presence and deliveries of all of them.
 *
 * Design
 * - Each node has a node id. Its own connections live here in {@link LocalConnections}; only this
 *   node can write to them.
 * - Each node keeps a replica of the whole cluster ({@link ClusterView}: per node, how many
 *   connections each user has and how many joined connections each channel member has). The
 *   router's synchronous reads (`isOnline`, `status`, `members`, `join`'s member list) answer from
 *   it, never from Redis.
 * - Every local change is written to the node's Redis hashes (`…:node:<id>:users`, `…:members`)
 *   and published on the cluster events channel in one MULTI, with the node's absolute count
 *   (not a delta), so replaying an event or overlapping it with a snapshot is harmless.
 * - At start (and after Redis comes back) a node rewrites its own hashes, tells the others to
 *   re-read them (`state` event), and reads every live node's hashes (the bootstrap), so a node
 *   started later knows who is online. Events that arrive meanwhile are buffered and applied after
 *   the snapshot, in order.
 * - Each node announces to its own connections what changes in its replica: a user's cluster-wide
 *   count going 0 → n is ONLINE to local followers, n → 0 OFFLINE; a channel member's 0 → n is
 *   `channel.member_joined` to local joined connections, n → 0 `member_left`. So every node sends
 *   each announcement once, to its own sockets, whichever node the change came from.
 * - Delivery: the frame is serialized once; local connections get it directly; the text is
 *   published once to the inbox (`…:node:<id>`) of each other node that holds a connection of the
 *   target (per the replica), which delivers it to its local connections. `sendToUser` /
 *   `sendToChannel` return the local count plus the remote connections the replica knows of: "how
 *   many connections it was sent to", not proof of receipt (pub/sub is at most once; clients catch
 *   up through history sync if a node drops a push).
 * - Liveness: each node refreshes `…:node:<id>:alive` (TTL CLUSTER_NODE_TTL_MS) and its hashes' TTL
 *   every CLUSTER_HEARTBEAT_INTERVAL_MS, and checks the other nodes' keys: a node whose key expired
 *   (SIGKILLed, partitioned) is dropped from the replica (its users go OFFLINE, its members leave)
 *   and from the node set. A node that finds its own key had expired re-announces its state.
 *   A clean `close()` deletes the node's keys and publishes `down`, so others drop it at once.
 * - `confirmReceived` (REST wait_for_ack): local connections are asked directly; each other node
 *   holding the user gets a `confirm` request in its inbox (after the delivery, on the same Redis
 *   connection, so in order) and answers `confirmed` to the asker's inbox. True on the first yes;
 *   false when all said no or after the timeout (plus a little for the round trip).
 * - Two Redis connections: one subscribed (events + own inbox), one for commands. The command one
 *   has no offline queue: a command while Redis is down fails at once instead of piling up.
 * - Redis down or not reached yet: logged once per outage; `checkHealthy()` throws (so /healthz is
 *   503); local routing keeps working; any read or send whose answer depends on other nodes throws
 *   {@link ClusterUnavailableError} (a send is never acked as delivered when it could not be
 *   published): `isOnline` for a user with no local connection, and `sendToUser`/`sendToChannel`
 *   when other nodes are known (after delivering locally). `status`/`members` answer from the last
 *   known replica.
 */
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  CLUSTER_HEARTBEAT_INTERVAL_MS,
  CLUSTER_NODE_TTL_MS,
  RtmError,
  type PeerStatus,
  type ServerFrame,
} from '../../../protocol/index.js';
import { MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION, type PresenceRouter, type RoutedConnection } from '../presence-router.js';
import { clusterKeys, memberField, parseBusMessage, parseMemberField, type ClusterEvent, type InboxMessage } from './bus.js';
import { ClusterView, type MemberChange, type NodeState, type UserChange } from './cluster-view.js';
import { anyConfirms, channelKeyOf, LocalConnections, sendTextAll, userKeyOf } from './local-connections.js';

/** The routing's answer when it needs Redis and Redis is not there (wire reason INTERNAL_ERROR). */
export class ClusterUnavailableError extends RtmError {
  constructor(what: string) {
    super('INTERNAL_ERROR', `Cross-node routing is unavailable (Redis not reachable): ${what}. Try again.`);
  }
}

/** pino/Fastify-style logger (what the server passes). */
export interface ClusterLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisPresenceRouterOptions {
  /** redis://… */
  url: string;
  /** Namespace in Redis (default 'default'): nodes with the same prefix form one cluster. */
  prefix?: string;
  /** Default: host-pid-random. */
  nodeId?: string;
  log?: ClusterLog;
  /** Test hooks: shorter than CLUSTER_HEARTBEAT_INTERVAL_MS / CLUSTER_NODE_TTL_MS. */
  heartbeatIntervalMs?: number;
  nodeTtlMs?: number;
}

/** Extra wait for remote confirm answers beyond the confirm timeout itself (the pub/sub round trip). */
const CONFIRM_ROUND_TRIP_GRACE_MS = 500;

const silentLog: ClusterLog = { error: () => {}, warn: () => {}, info: () => {} };

export class RedisPresenceRouter implements PresenceRouter {
  readonly nodeId: string;
  /** What every Redis key of this cluster starts with (`rtm:<prefix>:`). */
  readonly keyPrefix: string;
  readonly #keys: ReturnType<typeof clusterKeys>;
  readonly #log: ClusterLog;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #local = new LocalConnections();
  readonly #view = new ClusterView();
  /** Pending remote confirmations by request id. */
  readonly #confirms = new Map<string, (ok: boolean) => void>();
  /** Events received while a sync runs; applied after its snapshot. */
  #buffer: ClusterEvent[] | undefined = [];
  #healthy = false;
  /** Whether the current outage was logged (one line per outage, not one per retry). */
  #outageLogged = false;
  #syncing: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;
  #started = false;

  constructor(options: RedisPresenceRouterOptions) {
    this.nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#keys = clusterKeys(options.prefix ?? 'default', this.nodeId);
    this.keyPrefix = `rtm:${options.prefix ?? 'default'}:`;
    this.#log = options.log ?? silentLog;
    this.#heartbeatMs = options.heartbeatIntervalMs ?? CLUSTER_HEARTBEAT_INTERVAL_MS;
    this.#ttlMs = options.nodeTtlMs ?? CLUSTER_NODE_TTL_MS;
    this.#commands = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    this.#subscriber = new Redis(options.url, { lazyConnect: true });
    for (const [name, redis] of [['commands', this.#commands], ['subscriber', this.#subscriber]] as const) {
      redis.on('error', (err: Error) => this.#lost(name, err));
      redis.on('close', () => this.#lost(name));
      // After an outage (ioredis reconnects and resubscribes by itself); the first sync is start()'s.
      redis.on('ready', () => void (this.#started && this.#resync()));
    }
    this.#subscriber.on('message', (channel: string, text: string) => this.#onMessage(channel, text));
  }

  /**
   * Connects and bootstraps. Resolves once this node is part of the cluster, or rejects when Redis
   * cannot be reached now (the router keeps retrying in the background and heals itself; until
   * then it is unhealthy). Call once.
   */
  async start(): Promise<void> {
    this.#started = true;
    this.#heartbeat = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#heartbeat.unref();
    const connected = Promise.all([this.#commands.connect(), this.#subscriber.connect()]);
    // Queued until the subscriber is connected; ioredis subscribes again after every reconnect.
    this.#subscriber.subscribe(this.#keys.events, this.#keys.inbox).catch(() => {});
    await connected;
    await this.#resync();
    if (!this.#healthy) throw new ClusterUnavailableError('the first sync with Redis failed');
  }

  /** Throws ClusterUnavailableError unless both Redis connections are up and the replica is synced. */
  checkHealthy(): void {
    if (!this.#healthy) throw new ClusterUnavailableError('this node is not connected to the cluster');
  }

  /**
   * The connection for plain commands (not the subscriber), for other state this node shares with
   * the cluster (the REST rate limit): one connection per node rather than one per use. Fails
   * fast while Redis is away (no offline queue). Closed by `close()`.
   */
  get commands(): Redis {
    return this.#commands;
  }

  /** Leaves the cluster: deletes this node's keys, tells the others, closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const resolve of this.#confirms.values()) resolve(false);
    this.#confirms.clear();
    if (this.#healthy) {
      const own = this.#keys;
      await this.#commands
        .multi()
        .del(own.alive, own.users, own.members)
        .srem(own.nodes, this.nodeId)
        .publish(own.events, JSON.stringify({ k: 'down', n: this.nodeId } satisfies ClusterEvent))
        .exec()
        .catch(() => {});
    }
    this.#healthy = false;
    this.#subscriber.disconnect();
    this.#commands.disconnect();
  }

  /**
   * Drops both Redis connections and stops heartbeating without the clean-stop writes: what a
   * SIGKILLed node looks like to the others (tests). The router stays unhealthy afterwards.
   */
  disconnectWithoutCleanup(): void {
    clearInterval(this.#heartbeat);
    this.#subscriber.disconnect();
    this.#commands.disconnect();
  }

  // ── PresenceRouter ──────────────────────────────────────────────────────────────────────────

  attach(conn: RoutedConnection): void {
    const userKey = userKeyOf(conn.appId, conn.uid);
    this.#setOwnUser(userKey, this.#local.attach(conn));
  }

  detach(conn: RoutedConnection): void {
    for (const channel of [...(this.#local.joined.get(conn) ?? [])]) this.leave(conn, channel);
    const left = this.#local.detach(conn);
    if (left >= 0) this.#setOwnUser(userKeyOf(conn.appId, conn.uid), left);
  }

  status(appId: string, uids: readonly string[]): Record<string, PeerStatus> {
    // Null prototype: "__proto__" is a valid uid, and an object literal would take it as its prototype.
    const status: Record<string, PeerStatus> = Object.create(null);
    for (const uid of uids) status[uid] = this.#view.userCount(userKeyOf(appId, uid)) > 0 ? 'ONLINE' : 'OFFLINE';
    return status;
  }

  subscribe(conn: RoutedConnection, uids: readonly string[]): Record<string, PeerStatus> {
    const watching = this.#local.watching.get(conn);
    const added = new Set(uids.map((uid) => userKeyOf(conn.appId, uid)).filter((userKey) => !watching?.has(userKey)));
    if ((watching?.size ?? 0) + added.size > MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION) {
      throw new RtmError(
        'INVALID_ARGUMENT',
        `A connection may follow at most ${MAX_PRESENCE_SUBSCRIPTIONS_PER_CONNECTION} users; unsubscribe from some first.`,
      );
    }
    for (const userKey of added) this.#local.watch(conn, userKey);
    return this.status(conn.appId, uids);
  }

  unsubscribe(conn: RoutedConnection, uids: readonly string[]): void {
    const watching = this.#local.watching.get(conn);
    if (!watching) return;
    for (const uid of uids) {
      const userKey = userKeyOf(conn.appId, uid);
      if (watching.delete(userKey)) this.#local.unwatch(conn, userKey);
    }
    if (watching.size === 0) this.#local.watching.delete(conn);
  }

  isOnline(appId: string, uid: string, except?: RoutedConnection): boolean {
    const userKey = userKeyOf(appId, uid);
    const local = this.#local.users.get(userKey);
    const localCount = (local?.size ?? 0) - (except && local?.has(except) ? 1 : 0);
    if (localCount > 0) return true;
    // Not here: only the cluster can tell, and a stale "offline" would send a live user's message
    // to the offline store (or a stale "online" ack it as received).
    if (!this.#healthy) throw new ClusterUnavailableError(`cannot tell whether "${uid}" is online on another node`);
    return this.#view.userCountElsewhere(userKey, this.nodeId) > 0;
  }

  sendToUser(appId: string, uid: string, frame: ServerFrame, except?: RoutedConnection): number {
    const userKey = userKeyOf(appId, uid);
    const text = JSON.stringify(frame);
    const local = sendTextAll(this.#local.users.get(userKey) ?? [], text, except);
    const nodes = this.#view.nodesWithUser(userKey, this.nodeId);
    if (nodes.length === 0) return local;
    this.#requireHealthyToSend(`the push to "${uid}" reached this node's connections only`);
    for (const node of nodes) this.#publishTo(node, { k: 'user', key: userKey, text });
    return local + this.#view.userCountElsewhere(userKey, this.nodeId);
  }

  confirmReceived(appId: string, uid: string, timeoutMs: number): Promise<boolean> {
    const userKey = userKeyOf(appId, uid);
    const askers: Promise<boolean>[] = [];
    const local = [...(this.#local.users.get(userKey) ?? [])];
    if (local.length > 0) askers.push(anyConfirms(local, timeoutMs));
    if (this.#healthy) {
      for (const node of this.#view.nodesWithUser(userKey, this.nodeId)) askers.push(this.#askRemoteConfirm(node, userKey, timeoutMs));
    }
    if (askers.length === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let pending = askers.length;
      for (const asker of askers) {
        void asker.then((ok) => {
          if (ok) resolve(true);
          else if (--pending === 0) resolve(false);
        });
      }
    });
  }

  join(conn: RoutedConnection, channel: string): string[] {
    const count = this.#local.join(conn, channel);
    if (count === undefined) throw new Error('join() on a connection that is not attached');
    this.#setOwnMember(channelKeyOf(conn.appId, channel), conn.uid, count, conn);
    return this.members(conn.appId, channel);
  }

  leave(conn: RoutedConnection, channel: string): boolean {
    const left = this.#local.leave(conn, channel);
    if (left === undefined) return false;
    this.#setOwnMember(channelKeyOf(conn.appId, channel), conn.uid, left, conn);
    return true;
  }

  isJoined(conn: RoutedConnection, channel: string): boolean {
    return this.#local.joined.get(conn)?.has(channel) ?? false;
  }

  members(appId: string, channel: string): string[] {
    return this.#view.members(channelKeyOf(appId, channel));
  }

  sendToChannel(appId: string, channel: string, frame: ServerFrame, except?: RoutedConnection): number {
    const channelKey = channelKeyOf(appId, channel);
    const text = JSON.stringify(frame);
    const local = sendTextAll(this.#local.channelConnections(channelKey), text, except);
    const remote = this.#view.channelCountsElsewhere(channelKey, this.nodeId);
    if (remote.size === 0) return local;
    this.#requireHealthyToSend(`the push to channel "${channel}" reached this node's members only`);
    let count = local;
    for (const [node, connections] of remote) {
      this.#publishTo(node, { k: 'channel', ch: channelKey, text });
      count += connections;
    }
    return count;
  }

  // ── own changes ─────────────────────────────────────────────────────────────────────────────

  #setOwnUser(userKey: string, count: number): void {
    this.#announceUser(this.#view.setUser(this.nodeId, userKey, count));
    const own = this.#keys;
    const write = this.#commands.multi();
    if (count > 0) write.hset(own.users, userKey, count);
    else write.hdel(own.users, userKey);
    write.publish(own.events, JSON.stringify({ k: 'user', n: this.nodeId, key: userKey, c: count } satisfies ClusterEvent));
    this.#exec(write, 'user change');
  }

  #setOwnMember(channelKey: string, uid: string, count: number, conn: RoutedConnection): void {
    this.#announceMember(this.#view.setMember(this.nodeId, channelKey, uid, count), conn);
    const own = this.#keys;
    const field = memberField(channelKey, uid);
    const write = this.#commands.multi();
    if (count > 0) write.hset(own.members, field, count);
    else write.hdel(own.members, field);
    write.publish(own.events, JSON.stringify({ k: 'member', n: this.nodeId, ch: channelKey, uid, c: count } satisfies ClusterEvent));
    this.#exec(write, 'membership change');
  }

  /** Runs a write; while Redis is down it fails, and the resync after reconnecting rewrites everything. */
  #exec(write: ReturnType<Redis['multi']>, what: string): void {
    write.exec().catch((err: unknown) => {
      if (this.#healthy) this.#log.error({ err }, `cluster: ${what} not written to Redis`);
    });
  }

  #publishTo(node: string, message: InboxMessage): void {
    this.#commands.publish(this.#keys.of(node).inbox, JSON.stringify(message)).catch((err: unknown) => {
      this.#log.error({ err, node }, 'cluster: a push to another node was not published');
    });
  }

  #requireHealthyToSend(what: string): void {
    if (!this.#healthy) throw new ClusterUnavailableError(what);
  }

  // ── announcements (to this node's connections only) ────────────────────────────────────────

  #announceUser({ userKey, before, after }: UserChange): void {
    if ((before > 0) === (after > 0)) return;
    const watchers = this.#local.watchers.get(userKey);
    if (!watchers) return;
    const uid = userKey.slice(userKey.indexOf('\n') + 1);
    sendTextAll(watchers, JSON.stringify({ t: 'presence', uid, status: after > 0 ? 'ONLINE' : 'OFFLINE' } satisfies ServerFrame));
  }

  /** `joiner`: the local connection whose join/leave this is (it is not told about itself). */
  #announceMember({ channelKey, uid, before, after }: MemberChange, joiner?: RoutedConnection): void {
    if ((before > 0) === (after > 0)) return;
    const channel = channelKey.slice(channelKey.indexOf('\n') + 1);
    const frame: ServerFrame = after > 0 ? { t: 'channel.member_joined', channel, uid } : { t: 'channel.member_left', channel, uid };
    sendTextAll(this.#local.channelConnections(channelKey), JSON.stringify(frame), joiner);
  }

  #announceAll(changes: { users: UserChange[]; members: MemberChange[] }): void {
    for (const change of changes.users) this.#announceUser(change);
    for (const change of changes.members) this.#announceMember(change);
  }

  // ── the bus ─────────────────────────────────────────────────────────────────────────────────

  #onMessage(channel: string, text: string): void {
    if (channel === this.#keys.events) {
      const event = parseBusMessage<ClusterEvent>(text);
      if (!event || event.n === this.nodeId) return;
      if (this.#buffer) this.#buffer.push(event);
      else void this.#apply(event);
    } else if (channel === this.#keys.inbox) {
      const message = parseBusMessage<InboxMessage>(text);
      if (message) this.#onInbox(message);
    }
  }

  async #apply(event: ClusterEvent): Promise<void> {
    switch (event.k) {
      case 'user':
        return this.#announceUser(this.#view.setUser(event.n, event.key, event.c));
      case 'member':
        return this.#announceMember(this.#view.setMember(event.n, event.ch, event.uid, event.c));
      case 'down':
        return this.#announceAll(this.#view.dropNode(event.n));
      case 'state':
        return this.#announceAll(this.#view.replaceNode(event.n, await this.#readNode(event.n)));
    }
  }

  #onInbox(message: InboxMessage): void {
    switch (message.k) {
      case 'user':
        sendTextAll(this.#local.users.get(message.key) ?? [], message.text);
        return;
      case 'channel':
        sendTextAll(this.#local.channelConnections(message.ch), message.text);
        return;
      case 'confirm': {
        const conns = [...(this.#local.users.get(message.key) ?? [])];
        void anyConfirms(conns, message.ms).then((ok) => this.#publishTo(message.from, { k: 'confirmed', id: message.id, ok }));
        return;
      }
      case 'confirmed':
        this.#confirms.get(message.id)?.(message.ok);
        return;
    }
  }

  #askRemoteConfirm(node: string, userKey: string, timeoutMs: number): Promise<boolean> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs + CONFIRM_ROUND_TRIP_GRACE_MS);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.#confirms.delete(id);
        resolve(ok);
      };
      this.#confirms.set(id, finish);
      this.#publishTo(node, { k: 'confirm', key: userKey, ms: timeoutMs, id, from: this.nodeId });
    });
  }

  // ── sync, heartbeat, outages ────────────────────────────────────────────────────────────────

  #lost(connection: string, err?: Error): void {
    if (this.#closed) return;
    this.#healthy = false;
    this.#buffer ??= [];
    if (this.#outageLogged) return;
    this.#outageLogged = true;
    this.#log.error(
      { err, node: this.nodeId },
      `cluster: Redis ${connection} connection lost or unreachable; cross-node delivery is off and /healthz fails until it is back`,
    );
  }

  /** Rewrites this node's state in Redis and re-reads everyone else's (start, and after an outage). */
  #resync(): Promise<void> {
    if (this.#closed || this.#commands.status !== 'ready' || this.#subscriber.status !== 'ready') return Promise.resolve();
    this.#syncing ??= this.#sync()
      .then(() => {
        if (this.#outageLogged) this.#log.info({ node: this.nodeId }, 'cluster: Redis is back; cross-node delivery is on');
        this.#outageLogged = false;
      })
      .catch((err: unknown) => this.#lost('commands', err as Error))
      .finally(() => {
        this.#syncing = undefined;
      });
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    this.#buffer ??= [];
    // Answered after the (re)subscription: events from here on reach the buffer, so the snapshot
    // read next cannot miss a change.
    await this.#subscriber.ping();
    await this.#writeOwnState();
    const nodes = (await this.#commands.smembers(this.#keys.nodes)).filter((node) => node !== this.nodeId);
    const alive = await this.#aliveNodes(nodes);
    for (const node of nodes) {
      if (alive.has(node)) this.#announceAll(this.#view.replaceNode(node, await this.#readNode(node)));
    }
    for (const node of this.#view.nodeIds()) if (node !== this.nodeId && !alive.has(node)) this.#announceAll(this.#view.dropNode(node));
    await this.#forget(nodes.filter((node) => !alive.has(node)));
    const buffered = this.#buffer;
    this.#buffer = undefined;
    for (const event of buffered) await this.#apply(event);
    this.#healthy = true;
  }

  async #writeOwnState(): Promise<void> {
    const own = this.#keys;
    const write = this.#commands.multi().del(own.users, own.members);
    for (const [userKey, conns] of this.#local.users) write.hset(own.users, userKey, conns.size);
    for (const [channelKey, byUid] of this.#local.channels) {
      for (const [uid, conns] of byUid) write.hset(own.members, memberField(channelKey, uid), conns.size);
    }
    write
      .set(own.alive, String(Date.now()), 'PX', this.#ttlMs)
      .pexpire(own.users, this.#ttlMs)
      .pexpire(own.members, this.#ttlMs)
      .sadd(own.nodes, this.nodeId)
      .publish(own.events, JSON.stringify({ k: 'state', n: this.nodeId } satisfies ClusterEvent));
    await write.exec();
  }

  async #readNode(node: string): Promise<NodeState> {
    const keys = this.#keys.of(node);
    const [users, members] = await Promise.all([this.#commands.hgetall(keys.users), this.#commands.hgetall(keys.members)]);
    const state: NodeState = { users: new Map(), channels: new Map() };
    for (const [userKey, count] of Object.entries(users)) if (Number(count) > 0) state.users.set(userKey, Number(count));
    for (const [field, count] of Object.entries(members)) {
      const parsed = parseMemberField(field);
      if (!parsed || !(Number(count) > 0)) continue;
      let byUid = state.channels.get(parsed.channelKey);
      if (!byUid) state.channels.set(parsed.channelKey, (byUid = new Map()));
      byUid.set(parsed.uid, Number(count));
    }
    return state;
  }

  async #aliveNodes(nodes: readonly string[]): Promise<Set<string>> {
    if (nodes.length === 0) return new Set();
    const exists = this.#commands.pipeline();
    for (const node of nodes) exists.exists(this.#keys.of(node).alive);
    const results = (await exists.exec()) ?? [];
    return new Set(nodes.filter((_, i) => results[i]?.[1] === 1));
  }

  /** Removes dead nodes from the node set (their hashes expire on their own TTL). */
  async #forget(nodes: readonly string[]): Promise<void> {
    if (nodes.length > 0) await this.#commands.srem(this.#keys.nodes, ...nodes);
  }

  /** Refreshes this node's liveness, and drops the nodes whose liveness lapsed. */
  async #beat(): Promise<void> {
    if (!this.#healthy || this.#syncing) return;
    const own = this.#keys;
    try {
      const results = await this.#commands
        .multi()
        .set(own.alive, String(Date.now()), 'PX', this.#ttlMs, 'GET')
        .pexpire(own.users, this.#ttlMs)
        .pexpire(own.members, this.#ttlMs)
        .sadd(own.nodes, this.nodeId)
        .exec();
      // Our key had expired (a long stall): the others dropped us, so announce our state again.
      if (results?.[0]?.[1] === null) return void (await this.#resync());
      const others = this.#view.nodeIds().filter((node) => node !== this.nodeId);
      const alive = await this.#aliveNodes(others);
      const dead = others.filter((node) => !alive.has(node));
      for (const node of dead) {
        this.#log.warn({ node }, 'cluster: a node stopped heartbeating; its users and channel members are dropped');
        this.#announceAll(this.#view.dropNode(node));
      }
      await this.#forget(dead);
    } catch (err) {
      this.#lost('commands', err as Error);
    }
  }
}
