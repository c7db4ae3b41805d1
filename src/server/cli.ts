#!/usr/bin/env node
/**
 * rtm-chat-server: `start` runs the server; `token` prints a login token.
 * Runs as src/server/cli.ts (tsx) and as build/server/cli.js (compiled); see docs/configuration.md.
 */
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../protocol/index.js';
import { DEMO_APP_ID } from './apps.js';
import { readConfigFile } from './config.js';
import { startServer, type CreatedApp } from './index.js';
import { checkDatabaseUrl, parseDatabasePoolSize } from './storage/open.js';
import { readPostgresApp } from './storage/postgres/read-app.js';
import { openDatabaseReadOnly } from './storage/sqlite/database.js';
import { createSqliteAppStore } from './storage/sqlite/apps.js';
import { createToken } from './tokens.js';
import { superviseWorkers } from './workers/primary.js';
import { workerCount } from './workers/settings.js';
import { announceReady, followPrimary, workerLabel } from './workers/worker.js';

const USAGE = `Usage:
  rtm-chat-server start
      env: PORT (8080), HOST (0.0.0.0), RTM_DATA_DIR (./.rtm-data), RTM_CONFIG (JSON file),
           RTM_DATABASE_URL (postgres://… instead of SQLite in RTM_DATA_DIR),
           RTM_MEDIA_DIR (RTM_DATA_DIR/media; one shared directory for several nodes),
           RTM_DATABASE_POOL_SIZE (10; PostgreSQL connections per process, a whole number ≥ 1),
           RTM_DEV_TOKENS (on unless 0 or NODE_ENV=production), RTM_LOG_LEVEL (warn),
           RTM_TRUST_PROXY (off; 1 = trust X-Forwarded-* from any proxy, or proxy addresses/CIDRs),
           RTM_WS_RATE_LIMIT (on; 0 = no per-connection rate limits, for benchmarks),
           RTM_REDIS_URL (unset = single node; redis://… = one node of a cluster sharing that Redis),
           RTM_REDIS_PREFIX ("default"; nodes with the same Redis and prefix form one cluster),
           RTM_WORKERS (1; N = N processes sharing PORT, needs RTM_DATABASE_URL and RTM_REDIS_URL)
  rtm-chat-server token --uid <uid> [--app demo] [--expire <seconds>]
      prints a login token signed with the app's token secret (from RTM_CONFIG, else
      RTM_DATABASE_URL when set, else RTM_DATA_DIR)`;

/** The directory holding package.json: the CLI lives two levels down, in src/ or build/. */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('rtm-chat-server: cannot find the project root (no package.json above the CLI).');
    dir = parent;
  }
}

const env = process.env;
const dataDir = () => resolve(env.RTM_DATA_DIR || './.rtm-data');

function devTokensOn(): boolean {
  return env.RTM_DEV_TOKENS !== '0' && env.NODE_ENV !== 'production';
}

/** RTM_TRUST_PROXY: unset/0/false = off; 1/true = any proxy; else a comma list of addresses/CIDRs. */
function trustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return value;
}

/** RTM_WS_RATE_LIMIT: unset/1/true = the protocol's per-connection limits; 0/false/off = none. */
function rateLimitOff(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '1' || value === 'true' || value === 'on') return false;
  if (value === '0' || value === 'false' || value === 'off') return true;
  throw new Error(`RTM_WS_RATE_LIMIT must be 1 or 0, got "${value}".`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got "${value}".`);
  return port;
}

function printCredentials(app: CreatedApp): void {
  const where = env.RTM_DATABASE_URL ? 'the database (RTM_DATABASE_URL)' : dataDir();
  console.log(`Created app "${app.id}" (shown once; also stored in ${where}):`);
  console.log(`  appId:       ${app.id}`);
  console.log(`  restKey:     ${app.restKey}`);
  console.log(`  restSecret:  ${app.restSecret}`);
  console.log(`  tokenSecret: ${app.tokenSecret}`);
}

async function start(): Promise<void> {
  const databasePoolSize = parseDatabasePoolSize(env.RTM_DATABASE_POOL_SIZE);
  const workers = workerCount(env);
  if (workers > 1 && cluster.isPrimary) return superviseWorkers(workers);
  let closeServer: ((why: string) => void) | undefined;
  // A stop asked for while still starting exits at once: nothing is served yet.
  followPrimary(() => (closeServer ? closeServer('primary stopping') : process.exit(0)));

  const server = await startServer({
    port: parsePort(env.PORT),
    host: env.HOST || '0.0.0.0',
    dataDir: dataDir(),
    ...(env.RTM_DATABASE_URL && { databaseUrl: env.RTM_DATABASE_URL }),
    ...(env.RTM_MEDIA_DIR && { mediaDir: resolve(env.RTM_MEDIA_DIR) }),
    ...(databasePoolSize !== undefined && { databasePoolSize }),
    configFile: env.RTM_CONFIG || undefined,
    devTokens: devTokensOn(),
    staticRoot: findProjectRoot(),
    logger: { level: env.RTM_LOG_LEVEL || 'warn' },
    trustProxy: trustProxy(env.RTM_TRUST_PROXY),
    ...(env.RTM_REDIS_URL && { redisUrl: env.RTM_REDIS_URL }),
    ...(env.RTM_REDIS_PREFIX && { redisPrefix: env.RTM_REDIS_PREFIX }),
    ...(rateLimitOff(env.RTM_WS_RATE_LIMIT) && { rateLimits: false as const }),
  });
  for (const app of server.createdApps) printCredentials(app);
  if (cluster.isWorker) {
    // The primary prints the line scripts wait for, once every worker listens.
    console.log(`rtm-chat ${workerLabel()}listening on http://localhost:${server.port}`);
    announceReady();
  } else {
    // Tests and scripts wait for exactly this line, so it comes last.
    console.log(`rtm-chat server listening on http://localhost:${server.port}`);
  }

  let stopping = false;
  closeServer = (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`${workerLabel()}${why}: closing connections and the database…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('rtm-chat-server: error while closing:', error);
        process.exit(1);
      },
    );
  };
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means "now"; the primary's stop request (Ctrl-C reaches it too) is no signal.
    if (++signals > 1) process.exit(1);
    closeServer?.(signal);
  };
  process.on('SIGTERM', stop);
  if (!cluster.isWorker) process.on('SIGINT', stop); // a worker leaves Ctrl-C to its primary (workers/worker.ts)
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      uid: { type: 'string' },
      app: { type: 'string', default: DEMO_APP_ID },
      expire: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.uid) throw new Error(`--uid is required.\n${USAGE}`);
  const appId = values.app ?? DEMO_APP_ID;
  const expiresInSeconds = values.expire === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(values.expire);
  const secret = await findTokenSecret(appId);
  console.log(await createToken({ appId, uid: values.uid, secret, expiresInSeconds }));
}

/** The config file wins (as on start); otherwise the database the server uses, read-only. */
async function findTokenSecret(appId: string): Promise<string> {
  const fromConfig = env.RTM_CONFIG ? readConfigFile(env.RTM_CONFIG).apps.find((app) => app.id === appId) : undefined;
  if (fromConfig) return fromConfig.tokenSecret;
  if (env.RTM_DATABASE_URL) {
    checkDatabaseUrl(env.RTM_DATABASE_URL);
    const app = await readPostgresApp(env.RTM_DATABASE_URL, appId);
    if (!app) throw new Error(`No app "${appId}" in the database of RTM_DATABASE_URL${env.RTM_CONFIG ? ` or in ${env.RTM_CONFIG}` : ''}.`);
    return app.tokenSecret;
  }
  let db;
  try {
    db = openDatabaseReadOnly(dataDir());
  } catch {
    throw new Error(`No database in ${dataDir()}: run "rtm-chat-server start" once, or set RTM_DATA_DIR / RTM_CONFIG.`);
  }
  try {
    const app = await createSqliteAppStore(db).get(appId);
    if (!app) throw new Error(`No app "${appId}" in ${dataDir()}${env.RTM_CONFIG ? ` or ${env.RTM_CONFIG}` : ''}.`);
    return app.tokenSecret;
  } finally {
    db.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'token':
      return token(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new Error(`Unknown command "${command}".\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`rtm-chat-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
