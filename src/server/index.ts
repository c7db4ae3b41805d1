import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { join } from 'node:path';
import {
  LOGIN_DEADLINE_MS,
  MAX_FRAME_BYTES,
  MEDIA_SWEEP_INTERVAL_MS,
  REST_ACK_TIMEOUT_MS,
  REST_BURST,
  SERVER_HEARTBEAT_INTERVAL_MS,
} from '../protocol/index.js';
import { provisionApps } from './apps.js';
import { readConfigFile } from './config.js';
import { registerGateway } from './gateway/index.js';
import { createPresenceRouter, type PresenceSetup } from './messaging/cluster/create-presence-router.js';
import { RecentTransients } from './messaging/transient.js';
import { DEFAULT_CONNECTION_RATE_LIMITS, type ConnectionRateLimits } from './gateway/rate-limit.js';
import { registerCors } from './http/cors.js';
import { registerDevTokenRoute } from './http/dev-token.js';
import { installErrorHandlers } from './http/errors.js';
import { registerHealthRoute } from './http/health.js';
import { registerMediaRoutes } from './http/media/index.js';
import { registerResumableUploads } from './http/media/resumable.js';
import { registerRestApi } from './http/rest/index.js';
import { redisTokenBucketStore } from './http/rest/redis-token-bucket.js';
import { registerStatic } from './http/static.js';
import { MediaSweeper } from './media/sweeper.js';
import { createDiskMediaObjects } from './storage/disk/media-objects.js';
import { openStorage } from './storage/open.js';
import type { MediaObjects, Storage } from './storage/types.js';
import { createWebhooks, registerWebhookRoutes, webhookTargets, type WebhookDispatchOptions } from './webhooks/index.js';

export { createToken, verifyToken, TOKEN_CLOCK_TOLERANCE_SECONDS, type CreateTokenOptions, type VerifyTokenOptions, type VerifiedToken } from './tokens.js';
export { DEMO_APP_ID } from './apps.js';
export { verifyWebhookSignature, signWebhook, WEBHOOK_SIGNATURE_HEADER, type VerifyWebhookOptions, type WebhookEvent, type WebhookEventData, type WebhookDispatchOptions } from './webhooks/index.js';
export type { AppRecord, MediaObjects, MediaRecord, MediaStore, MediaWriter, Storage } from './storage/types.js';

export interface ServerOptions {
  /** Default 8080; 0 picks a free port (see RunningServer.port). */
  port?: number;
  /** Default '127.0.0.1' (the CLI binds HOST, default '0.0.0.0'). */
  host?: string;
  /** Where `rtm.sqlite` and `media/` live; created when missing. */
  dataDir: string;
  /**
   * `postgres://…`: store everything but media bytes in that PostgreSQL database (migrated at
   * start) instead of `rtm.sqlite` (the CLI reads RTM_DATABASE_URL). Media bytes stay in
   * `mediaDir` (default `<dataDir>/media/`) unless `mediaObjects` says otherwise.
   */
  databaseUrl?: string;
  /**
   * PostgreSQL connections this process keeps (RTM_DATABASE_POOL_SIZE), default 10: a whole
   * number ≥ 1, else startServer rejects with a ConfigError. Unused with SQLite.
   */
  databasePoolSize?: number;
  /** Serve POST /api/dev/token. Default false here (the CLI turns it on outside production). */
  devTokens?: boolean;
  /** JSON config file with more apps; see docs/configuration.md. */
  configFile?: string;
  /** Directory containing demo/ and dist/ to serve; no static routes when absent. */
  staticRoot?: string;
  /** Injectable clock, ms since the epoch. */
  now?: () => number;
  /** Fastify/pino request and error logging; `true` = level 'info'. Default off. */
  logger?: boolean | { level: string };
  /**
   * Storage to use instead of SQLite in `dataDir` (another adapter, or a wrapped one in tests).
   * The caller owns it: `close()` does not close injected storage.
   */
  storage?: Storage;
  /**
   * Directory of the media bytes (RTM_MEDIA_DIR); default `<dataDir>/media`. Nodes sharing one
   * PostgreSQL point this at one directory (same machine, or an NFS/EFS mount) so any node serves
   * any upload. Ignored when `mediaObjects` is given.
   */
  mediaDir?: string;
  /** Where media bytes go instead of a directory (another store, or a wrapped one in tests). */
  mediaObjects?: MediaObjects;
  /**
   * Trust X-Forwarded-Proto/-Host/-For from a reverse proxy (Fastify's `trustProxy`: `true`, or the
   * proxies' addresses/CIDRs, e.g. `'127.0.0.1,10.0.0.0/8'`). Signed media URLs are built from the
   * request's protocol and host, so behind a TLS-terminating proxy this makes them
   * `https://<public host>/…`. Default false.
   */
  trustProxy?: boolean | string | string[];
  /**
   * Per-connection WebSocket rate limits (docs/protocol.md "Rate limits"): any of them raised or
   * lowered, or `false` for none (benchmarks and test rigs that flood one connection on purpose).
   * Default: SENDS_PER_SECOND / SEND_BURST / FRAMES_PER_SECOND / FRAME_BURST.
   */
  rateLimits?: Partial<ConnectionRateLimits> | false;
  /**
   * Webhook delivery tuning and test hooks (timeout, attempts, concurrency, retry delays); the
   * defaults are the WEBHOOK_* constants. Webhooks themselves are configured per app in the config file.
   */
  webhooks?: WebhookDispatchOptions;
  /**
   * redis://… (RTM_REDIS_URL): run as one node of a cluster sharing this Redis for presence,
   * channel membership and delivery (see messaging/cluster/). Absent: single node, in memory.
   */
  redisUrl?: string;
  /**
   * Namespace of this cluster in Redis (RTM_REDIS_PREFIX, default 'default'): nodes with the same
   * Redis and prefix form one cluster, so several deployments (or test runs) can share a Redis.
   */
  redisPrefix?: string;
  /** Test hooks: shorter login deadline, heartbeat interval and REST wait_for_ack timeout than the protocol defaults. */
  loginDeadlineMs?: number;
  heartbeatIntervalMs?: number;
  restAckTimeoutMs?: number;
}

/** Credentials of an app this start created (shown once; the CLI prints them). */
export interface CreatedApp {
  id: string;
  restKey: string;
  restSecret: string;
  tokenSecret: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (a wildcard host is shown as localhost). */
  url: string;
  port: number;
  /** Apps created by this start: the demo app on the first run in a data dir. */
  createdApps: CreatedApp[];
  /**
   * Deletes expired media (files, then rows) now, as the hourly sweep does; resolves with how many.
   * For tests that move the injectable clock past MEDIA_TTL_MS, and for operators.
   */
  sweepMedia(): Promise<number>;
  /** Closes sockets (SERVER_SHUTDOWN), stops listening, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Errors that must not vanish when request logging is off. */
const stderrLogger = {
  level: 'error',
  fatal: (...args: unknown[]) => console.error(...args),
  error: (...args: unknown[]) => console.error(...args),
  warn: () => {},
  info: () => {},
  debug: () => {},
  trace: () => {},
  silent: () => {},
  child() {
    return stderrLogger;
  },
} as unknown as FastifyBaseLogger;

/** How often expired offline messages are purged in the background (also on start and on send). */
const OFFLINE_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  // Read the config before touching the database: a typo should not leave a half-set-up data dir.
  const config = options.configFile ? readConfigFile(options.configFile) : undefined;
  const ownsStorage = options.storage === undefined;
  const storage =
    options.storage ??
    (await openStorage({
      dataDir: options.dataDir,
      now: now(),
      ...(options.databaseUrl !== undefined && { databaseUrl: options.databaseUrl }),
      ...(options.databasePoolSize !== undefined && { databasePoolSize: options.databasePoolSize }),
    }));
  const mediaDir = options.mediaDir ?? join(options.dataDir, 'media');
  const mediaObjects = options.mediaObjects ?? createDiskMediaObjects(mediaDir);
  const app = Fastify({
    logger: options.logger === true ? { level: 'info' } : options.logger || false,
    trustProxy: options.trustProxy ?? false,
  });
  let presence: PresenceSetup | undefined;
  try {
    const { registry, created } = await provisionApps(storage.apps, config, now());
    await storage.messages.purgeExpiredOffline(now());
    const log = options.logger ? app.log : stderrLogger;
    const sweeper = new MediaSweeper(storage.media, mediaObjects, now, log);
    // Before listening, so none of this node's uploads is running; other nodes sharing the media
    // directory may be uploading, which is why recover() leaves young leftovers alone.
    await sweeper.recover();

    presence = await createPresenceRouter({ redisUrl: options.redisUrl, redisPrefix: options.redisPrefix, log });
    installErrorHandlers(app, log);
    await registerCors(app, registry);
    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
    registerHealthRoute(app, { health: storage.health, now, log, ...(presence.checkHealthy && { cluster: presence.checkHealthy }) });
    registerDevTokenRoute(app, { apps: registry, enabled: options.devTokens ?? false, now });
    const mediaDeps = { apps: registry, store: storage.media, objects: mediaObjects, now };
    await registerMediaRoutes(app, mediaDeps);
    // Unfinished resumable uploads sit next to the media files (a name no media id can have), so
    // nodes sharing RTM_MEDIA_DIR continue each other's.
    const resumable = await registerResumableUploads(app, mediaDeps, join(mediaDir, '.uploads'));
    const targets = webhookTargets(config);
    if (targets.size > 0 && !storage.webhooks) log.warn('the storage has no webhook outbox: webhooks are off');
    const webhooks =
      targets.size > 0 && storage.webhooks
        ? createWebhooks({ store: storage.webhooks, targets, now, log, ...(options.webhooks && { dispatch: options.webhooks }) })
        : undefined;
    const gatewayContext = {
      apps: registry,
      messages: storage.messages,
      conversations: storage.conversations,
      media: storage.media,
      attributes: storage.attributes,
      presence: presence.router,
      transients: new RecentTransients(),
      now,
      log,
      loginDeadlineMs: options.loginDeadlineMs ?? LOGIN_DEADLINE_MS,
      ...(webhooks && { webhooks: webhooks.events }),
      rateLimits: options.rateLimits === false ? (false as const) : { ...DEFAULT_CONNECTION_RATE_LIMITS, ...options.rateLimits },
    };
    const gateway = registerGateway(app, gatewayContext, options.heartbeatIntervalMs ?? SERVER_HEARTBEAT_INTERVAL_MS);
    // REST-sent messages and changes go through the gateway's storage and presence, like SDK-sent ones.
    await registerRestApi(app, {
      apps: registry,
      context: gatewayContext,
      log,
      ackTimeoutMs: options.restAckTimeoutMs ?? REST_ACK_TIMEOUT_MS,
      // With Redis, every node spends an app's REST budget from one bucket (not one per node).
      ...(presence.redis && { rateLimitStore: redisTokenBucketStore(presence.redis.commands, REST_BURST, presence.redis.keyPrefix) }),
    });
    // The delivery log is readable whether or not an app has a webhook now (one may have had one).
    if (storage.webhooks) {
      const wake = webhooks && (() => webhooks.dispatcher.wake());
      await registerWebhookRoutes(app, { apps: registry, store: storage.webhooks, now, log, ...(wake && { wake }) });
    }
    if (options.staticRoot !== undefined) await registerStatic(app, options.staticRoot);

    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 8080, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);

    const purge = setInterval(() => {
      storage.messages.purgeExpiredOffline(now()).catch((err: unknown) => log.error({ err }, 'offline purge failed'));
    }, OFFLINE_PURGE_INTERVAL_MS);
    purge.unref();
    sweeper.start(MEDIA_SWEEP_INTERVAL_MS);
    webhooks?.dispatcher.start();

    let closing: Promise<void> | undefined;
    return {
      url: `http://${displayHost(host)}:${port}`,
      port,
      createdApps: created.map(({ id, restKey, restSecret, tokenSecret }) => ({ id, restKey, restSecret, tokenSecret })),
      sweepMedia: () => sweeper.sweep(),
      close() {
        closing ??= (async () => {
          clearInterval(purge);
          await sweeper.stop();
          resumable.close();
          await webhooks?.dispatcher.stop();
          await gateway.shutdown();
          // Fastify closes the connections that are idle when close() starts; one whose response is
          // still being flushed becomes idle a moment later and would then be kept for the whole
          // keep-alive timeout (72 s). Close those as they become idle; requests in progress finish.
          const idle = setInterval(() => app.server.closeIdleConnections(), 50);
          try {
            await app.close();
          } finally {
            clearInterval(idle);
          }
          await presence?.close();
          if (ownsStorage) await storage.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app.close().catch(() => {});
    await presence?.close();
    if (ownsStorage) await storage.close();
    throw error;
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
