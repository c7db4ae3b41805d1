import { readFileSync } from 'node:fs';
import { isValidAppId } from '../protocol/index.js';

/**
 * The optional JSON config file (RTM_CONFIG / ServerOptions.configFile):
 * `{ "apps": [{ "id", "restKey", "restSecret", "tokenSecret", "allowedOrigins": [...] }] }`.
 * See docs/configuration.md.
 */
export interface AppConfig {
  id: string;
  restKey: string;
  restSecret: string;
  tokenSecret: string;
  /** Page origins allowed to use the app (`https://example.com`), or `"*"` for any. */
  allowedOrigins: string[];
  /** Where the app's events are POSTed (docs/configuration.md "Webhooks"); none when absent. */
  webhook?: WebhookConfig;
}

/** The event types a webhook can receive (all of them unless `events` narrows it). */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.edited',
  'message.retracted',
  'reaction.changed',
  'channel.member_joined',
  'channel.member_left',
  'read.moved',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An app's webhook: `{ "url": "https://…", "secret": "…", "events": [...] }`. */
export interface WebhookConfig {
  /** http(s) URL the events are POSTed to. */
  url: string;
  /** Signs every request (HMAC-SHA256, header `x-rtm-signature`); at least 32 characters. */
  secret: string;
  /** The event types to send; every type when the field is absent. */
  events: WebhookEventType[];
}

export interface ConfigFile {
  apps: AppConfig[];
}

/**
 * Shortest token secret accepted from a config file: HS256 wants a key of at least 256 bits, and
 * 32 characters is the floor that keeps brute force out of reach for a random secret.
 */
export const MIN_TOKEN_SECRET_LENGTH = 32;

/** Shortest webhook signing secret accepted (the same floor as token secrets, for the same reason). */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

/** Bad configuration (config file, environment, server options); the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Stable, for callers that tell errors apart without parsing messages. */
  readonly code = 'INVALID_CONFIG';
}

/** Reads and validates a config file; throws ConfigError naming the file and the bad field. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, path);
}

/** Validates a parsed config object. */
export function parseConfig(value: unknown, source = 'config'): ConfigFile {
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`);
  };
  if (!isRecord(value)) return fail('must be a JSON object like {"apps": [...]}.');
  const apps = value.apps ?? [];
  if (!Array.isArray(apps)) return fail('"apps" must be an array.');
  const seen = new Set<string>();
  const parsed = apps.map((app: unknown, index): AppConfig => {
    const where = `apps[${index}]`;
    if (!isRecord(app)) return fail(`${where} must be an object.`);
    if (!isValidAppId(app.id)) return fail(`${where}.id must be 1–64 characters from A-Z a-z 0-9 _ -.`);
    if (seen.has(app.id)) return fail(`${where}.id "${app.id}" appears twice.`);
    seen.add(app.id);
    for (const key of ['restKey', 'restSecret', 'tokenSecret'] as const) {
      if (typeof app[key] !== 'string' || app[key].length === 0) fail(`${where}.${key} must be a non-empty string.`);
    }
    if ((app.tokenSecret as string).length < MIN_TOKEN_SECRET_LENGTH) {
      fail(`${where}.tokenSecret must be at least ${MIN_TOKEN_SECRET_LENGTH} characters (use a random value).`);
    }
    const origins = app.allowedOrigins ?? [];
    if (!Array.isArray(origins)) return fail(`${where}.allowedOrigins must be an array of origins.`);
    const parsedApp: AppConfig = {
      id: app.id,
      restKey: app.restKey as string,
      restSecret: app.restSecret as string,
      tokenSecret: app.tokenSecret as string,
      allowedOrigins: origins.map((origin: unknown, i) =>
        normalizeOrigin(origin) ?? fail(`${where}.allowedOrigins[${i}] must be "*" or an origin like "https://example.com".`),
      ),
    };
    if (app.webhook !== undefined) parsedApp.webhook = parseWebhook(app.webhook, `${where}.webhook`, fail);
    return parsedApp;
  });
  return { apps: parsed };
}

function parseWebhook(value: unknown, where: string, fail: (message: string) => never): WebhookConfig {
  if (!isRecord(value)) return fail(`${where} must be an object like {"url": "https://…", "secret": "…"}.`);
  let url: URL | undefined;
  try {
    url = typeof value.url === 'string' ? new URL(value.url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return fail(`${where}.url must be an http:// or https:// URL (got ${JSON.stringify(value.url)}).`);
  }
  // fetch refuses URLs with credentials; authenticate the request by its signature instead.
  if (url.username || url.password) return fail(`${where}.url must not contain a user name or password.`);
  if (typeof value.secret !== 'string' || value.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    return fail(`${where}.secret must be a string of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (use a random value: openssl rand -hex 32).`);
  }
  const events = value.events ?? [...WEBHOOK_EVENT_TYPES];
  if (!Array.isArray(events) || events.length === 0) {
    return fail(`${where}.events must be a non-empty array of event types (${WEBHOOK_EVENT_TYPES.join(', ')}), or absent for all.`);
  }
  events.forEach((type: unknown, i) => {
    if (!(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type)) {
      fail(`${where}.events[${i}] must be one of ${WEBHOOK_EVENT_TYPES.join(', ')} (got ${JSON.stringify(type)}).`);
    }
  });
  return { url: url.href, secret: value.secret, events: [...new Set(events as WebhookEventType[])] };
}

/** `'*'`, or the canonical form of an http(s) origin (no path, lowercase host); undefined if invalid. */
export function normalizeOrigin(value: unknown): string | undefined {
  if (value === '*') return '*';
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    // An origin has no path, query or credentials; "https://a.com/" is tolerated as "https://a.com".
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
