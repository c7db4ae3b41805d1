/**
 * Webhook test helpers: a receiver HTTP server on 127.0.0.1 that records every request and answers
 * as the test says (a status, or never), apps with a webhook, and a signature check written from
 * the documented scheme with node:crypto alone (not with the server's own code).
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '../../src/server/index.js';
import { basic } from './rest-helpers.js';

export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef0123456789abcdef';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body. */
  body: string;
  event: WebhookEvent;
  /** When the request arrived (Date.now()). */
  at: number;
}

/** What the receiver answers request number `index` (0-based) with: a status, or 'hang' (never). */
export type Responder = (request: Received, index: number) => number | 'hang';

export class Receiver {
  readonly received: Received[] = [];
  readonly #hanging = new Set<ServerResponse>();
  #waiters: (() => void)[] = [];

  private constructor(
    readonly server: Server,
    public respond: Responder,
  ) {}

  static async start(respond: Responder = () => 204, port = 0): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server, respond);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const received: Received = { headers: req.headers, body, event: JSON.parse(body) as WebhookEvent, at: Date.now() };
        const index = receiver.received.length;
        receiver.received.push(received);
        const wakers = receiver.#waiters;
        receiver.#waiters = [];
        for (const wake of wakers) wake();
        const answer = receiver.respond(received, index);
        if (answer === 'hang') {
          receiver.#hanging.add(res);
          res.on('close', () => receiver.#hanging.delete(res));
          return;
        }
        res.statusCode = answer;
        res.end(answer === 204 ? undefined : 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Requests being held open right now. */
  get hanging(): number {
    return this.#hanging.size;
  }

  /** Resolves once at least `count` requests arrived (all of them so far). */
  async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`receiver got ${this.received.length} of ${count} requests: ${JSON.stringify(this.types())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  types(): string[] {
    return this.received.map((r) => r.event.type);
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An app of the config file with a webhook to `url`. */
export function hookApp(id: string, url: string | undefined, webhook: Record<string, unknown> = {}) {
  return {
    id,
    restKey: `${id}-key`,
    restSecret: `${id}-rest-secret`,
    tokenSecret: `${id}-token-secret-0123456789abcdef0123456789`,
    allowedOrigins: ['*'],
    ...(url !== undefined && { webhook: { url, secret: WEBHOOK_SECRET, ...webhook } }),
  };
}

export const authOf = (app: ReturnType<typeof hookApp>) => basic(app.restKey, app.restSecret);

/**
 * Checks `x-rtm-signature` the way docs/configuration.md tells receivers to: HMAC-SHA256 of
 * "<t>.<raw body>" with the secret, hex, and a timestamp within 5 minutes.
 */
export function assertSigned(received: Received, secret = WEBHOOK_SECRET): void {
  const header = received.headers['x-rtm-signature'];
  assert.equal(typeof header, 'string', 'x-rtm-signature is sent');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header as string);
  assert.ok(match, `x-rtm-signature looks like t=<unix>,v1=<hex>: ${header}`);
  const [, t, v1] = match;
  assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 60, 'the timestamp is now');
  const expected = createHmac('sha256', secret).update(`${t}.${received.body}`).digest();
  assert.ok(timingSafeEqual(Buffer.from(v1!, 'hex'), expected), 'the signature matches the raw body');
  assert.match(received.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(received.headers['x-rtm-event-id'], received.event.id);
  assert.equal(received.headers['x-rtm-event-type'], received.event.type);
}

export interface DeliveryBody {
  event_id: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  created_at: number;
  attempts: number;
  next_attempt_at?: number;
  last_status_code?: number;
  last_error?: string;
  delivered_at?: number;
  log: { attempt: number; started_at: number; duration_ms: number; status_code?: number; error?: string }[];
  event?: WebhookEvent;
}

/** GET the delivery log (or one event of it) with the app's Basic auth. */
export async function deliveries(
  url: string,
  app: ReturnType<typeof hookApp>,
  query = '',
): Promise<{ status: number; body: { deliveries: DeliveryBody[]; delivery: DeliveryBody; next_before?: string; code?: string } }> {
  const response = await fetch(`${url}/dev/v2/project/${app.id}/rtm/webhooks/deliveries${query}`, {
    headers: { authorization: authOf(app) },
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Resolves once the app's outbox has nothing pending. An event is recorded just after the write's
 * answer (docs/configuration.md: "after the sender's ack"); with SQLite that happens before the
 * answer leaves, with PostgreSQL (a round trip away) only soon after. So wait for the events the
 * test expects first (`receiver.waitFor`); then this means each has been answered by the receiver
 * (which records a request before it answers) and no retry of them is coming.
 */
export async function outboxDrained(url: string, app: ReturnType<typeof hookApp>): Promise<void> {
  await eventually(async () => ((await deliveries(url, app, '?status=pending&limit=1')).body.deliveries.length === 0 ? true : undefined), 5000, `the outbox of ${app.id} to drain`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
