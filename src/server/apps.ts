import { randomBytes } from 'node:crypto';
import type { ConfigFile } from './config.js';
import type { AppRecord, AppStore } from './storage/types.js';

/** The app `npm start` creates on first run, for the demo pages. */
export const DEMO_APP_ID = 'demo';

/**
 * The apps this server serves, loaded once at start (apps only change through the config file or
 * the first-run demo app, both applied before listening).
 */
export class AppRegistry {
  readonly #apps: Map<string, AppRecord>;

  constructor(apps: readonly AppRecord[]) {
    this.#apps = new Map(apps.map((app) => [app.id, app]));
  }

  get(id: string): AppRecord | undefined {
    return this.#apps.get(id);
  }

  all(): AppRecord[] {
    return [...this.#apps.values()];
  }

  /** Whether some app accepts pages from `origin` (CORS preflights do not say which app they are for). */
  anyAllowsOrigin(origin: string): boolean {
    return this.all().some((app) => isOriginAllowed(app, origin, undefined));
  }
}

/**
 * Whether a page at `origin` may use `app`. No Origin header means a non-browser client: the
 * allow-list protects users' browsers from other sites, it is not authentication (tokens are).
 * Pages served by this server itself (same host) are always allowed.
 */
export function isOriginAllowed(app: AppRecord, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (app.allowedOrigins.includes('*') || app.allowedOrigins.includes(origin)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}

function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A new app with fresh random credentials. */
export function generateApp(id: string, allowedOrigins: string[], now: number): AppRecord {
  return {
    id,
    restKey: randomSecret(16),
    restSecret: randomSecret(32),
    tokenSecret: randomSecret(32),
    allowedOrigins,
    createdAt: now,
  };
}

export interface ProvisionResult {
  registry: AppRegistry;
  /** Apps created by this start (the demo app on first run); their secrets are shown once. */
  created: AppRecord[];
}

/**
 * Applies the config file (it wins over what the database has) and creates the demo app with random
 * secrets when neither has it.
 */
export async function provisionApps(store: AppStore, config: ConfigFile | undefined, now: number): Promise<ProvisionResult> {
  for (const app of config?.apps ?? []) {
    await store.upsert({ ...app, createdAt: now });
  }
  const created: AppRecord[] = [];
  const demo = generateApp(DEMO_APP_ID, ['*'], now);
  if (await store.insertIfMissing(demo)) created.push(demo);
  return { registry: new AppRegistry(await store.list()), created };
}
