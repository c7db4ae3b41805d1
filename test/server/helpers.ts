/**
 * Test helpers: a real server on a random port with a temp data dir, and a small WebSocket client
 * (the `ws` package) that buffers frames so a test can await "the next frame of type X".
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ClientFrame, ErrorBody, ReplyResults, ServerFrame, StoredMessage } from '../../src/protocol/index.js';
import { createToken, startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { createTestDatabase } from './storage-backends.js';

export const DEFAULT_TIMEOUT_MS = 3000;

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

/**
 * A clock that runs with real time and can be moved ahead by hand: for long runs that need "3
 * minutes later" while the server's rate limits (which read the same clock) keep refilling.
 */
export function skewedClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

export interface TestServer {
  server: RunningServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  /** The demo app's token secret (created on this first start). */
  demoSecret: string;
  /** A token for `uid` in the demo app (or `appId` with `secret`), using the server's clock. */
  token(uid: string, options?: { appId?: string; secret?: string; expiresInSeconds?: number; now?: number }): Promise<string>;
  /** A socket that has not logged in yet. */
  open(options?: { origin?: string }): Promise<TestClient>;
  /** A logged-in socket; its `login` reply is consumed. */
  connect(uid: string, options?: { origin?: string; appId?: string; secret?: string }): Promise<TestClient>;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<ServerOptions> {
  /** Written to a config file in the data dir and passed as `configFile`. */
  config?: unknown;
}

/**
 * RTM_TEST_SERVER_STORAGE=postgres (with RTM_TEST_DATABASE_URL) runs every test server on a fresh
 * PostgreSQL database instead of SQLite, unless the test brings its own storage.
 */
const serversOnPostgres = process.env.RTM_TEST_SERVER_STORAGE === 'postgres';

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rtm-test-'));
  const { config, ...serverOptions } = options;
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (serversOnPostgres && serverOptions.storage === undefined && serverOptions.databaseUrl === undefined) {
    database = await createTestDatabase();
    serverOptions.databaseUrl = database.url;
  }
  let configFile: string | undefined;
  if (config !== undefined) {
    configFile = join(dataDir, 'config.json');
    await writeFile(configFile, JSON.stringify(config));
  }
  const server = await startServer({ port: 0, dataDir, configFile, ...serverOptions });
  const demo = server.createdApps.find((app) => app.id === 'demo');
  const clockNow = serverOptions.now ?? Date.now;
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws`;
  const clients: TestClient[] = [];
  const test: TestServer = {
    server,
    url: server.url,
    wsUrl,
    dataDir,
    demoSecret: demo?.tokenSecret ?? '',
    token(uid, opts = {}) {
      return createToken({
        appId: opts.appId ?? 'demo',
        uid,
        secret: opts.secret ?? test.demoSecret,
        expiresInSeconds: opts.expiresInSeconds,
        now: opts.now ?? clockNow(),
      });
    },
    async open(opts = {}) {
      const client = await TestClient.open(wsUrl, { origin: opts.origin });
      clients.push(client);
      return client;
    },
    async connect(uid, opts = {}) {
      const client = await test.open(opts);
      const token = await test.token(uid, { appId: opts.appId, secret: opts.secret });
      await client.requestOk({ t: 'login', appId: opts.appId ?? 'demo', uid, token });
      return client;
    },
    async close() {
      for (const client of clients) client.terminate();
      await server.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return test;
}

type Frame = ServerFrame;
type ReplyOf<F extends { t: keyof ReplyResults }> = ReplyResults[F['t']];
/** A client frame without the id: the helper assigns one. */
type Request = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'id'> : never) : never;

export class TestClient {
  readonly #frames: Frame[] = [];
  #waiters: (() => void)[] = [];
  #nextId = 1;
  /** Resolves with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      assert.equal(isBinary, false, 'the server only sends text frames');
      this.#frames.push(JSON.parse(data.toString()) as Frame);
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.#wake();
      });
    });
    ws.on('error', () => {}); // surfaced through `closed`
  }

  /** `autoPong: false` makes a client that ignores the server's pings, like a dead connection. */
  static open(url: string, options: { origin?: string; autoPong?: boolean } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { ...(options.origin && { origin: options.origin }), autoPong: options.autoPong ?? true });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends raw data as is (text unless `binary`). */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /**
   * Sends a request frame with a fresh id and resolves with the matching reply. Any object goes
   * (tests send invalid frames on purpose); `requestOk` checks the frame's type.
   */
  async request(frame: Record<string, unknown>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Extract<Frame, { t: 'reply' }>> {
    const id = this.#nextId++;
    this.ws.send(JSON.stringify({ ...frame, id }));
    return this.next('reply', { timeoutMs, where: (reply) => reply.id === id });
  }

  /** Like `request`, but asserts the reply is ok and returns its result. */
  async requestOk<F extends Request>(frame: F, timeoutMs?: number): Promise<ReplyOf<F>> {
    const reply = await this.request(frame, timeoutMs);
    if (!reply.ok) assert.fail(`${frame.t} failed: ${JSON.stringify(reply.error)}`);
    return reply.result as ReplyOf<F>;
  }

  /** Like `request`, but asserts the reply is an error and returns its body. */
  async requestError(frame: Record<string, unknown>, timeoutMs?: number): Promise<ErrorBody> {
    const reply = await this.request(frame, timeoutMs);
    if (reply.ok) assert.fail(`expected an error, got ${JSON.stringify(reply.result)}`);
    return reply.error;
  }

  /** Takes the first buffered (or next arriving) frame of type `t` matching `where`. */
  async next<T extends Frame['t']>(
    t: T,
    options: { timeoutMs?: number; where?: (frame: Extract<Frame, { t: T }>) => boolean } = {},
  ): Promise<Extract<Frame, { t: T }>> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (;;) {
      const index = this.#frames.findIndex(
        (frame) => frame.t === t && (options.where?.(frame as Extract<Frame, { t: T }>) ?? true),
      );
      if (index >= 0) return this.#frames.splice(index, 1)[0] as Extract<Frame, { t: T }>;
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        assert.fail(`no "${t}" frame within the timeout; buffered: ${JSON.stringify(this.#frames.map((f) => f.t))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `count` messages pushed as `peer.message` / `channel.message`. */
  async messages(t: 'peer.message' | 'channel.message', count: number, timeoutMs?: number): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    for (let i = 0; i < count; i++) out.push((await this.next(t, { timeoutMs })).message);
    return out;
  }

  /** Asserts that no frame of type `t` arrives within `ms` (and none is buffered). */
  async expectNone(t: Frame['t'], ms = 200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const found = this.#frames.filter((frame) => frame.t === t);
    assert.deepEqual(found, [], `unexpected "${t}" frame(s)`);
  }

  /** Frames received and not yet taken. */
  get buffered(): readonly Frame[] {
    return this.#frames;
  }

  close(): void {
    this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** A TEXT message. */
export const text = (value: string) => ({ type: 'TEXT', text: value }) as const;

/** Reads every message of a conversation through `history` pages, oldest first. */
export async function fullHistory(client: TestClient, target: { peer: string } | { channel: string }): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await client.requestOk({ t: 'history', ...target, limit: 100, ...(beforeSeq && { beforeSeq }) });
    all.push(...page.messages);
    if (!page.hasMore) break;
    beforeSeq = page.messages[page.messages.length - 1]!.seq;
  }
  return all.reverse();
}

/** The real CLI (`rtm-chat-server start`) as a child process, ready once it printed its line. */
export interface CliServer {
  child: import('node:child_process').ChildProcess;
  url: string;
  wsUrl: string;
  /** Everything printed on stdout so far. */
  output(): string;
  /** Everything printed on stderr so far. */
  errors(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const PROJECT_ROOT = new URL('../../', import.meta.url);

export async function spawnCli(env: Record<string, string>, timeoutMs = 15_000): Promise<CliServer> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI not ready in time. stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^rtm-chat server listening on (http:\/\/localhost:\d+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`CLI exited (${code ?? signal}). stderr:\n${stderr}`)));
  });
  return { child, url, wsUrl: `${url.replace(/^http/, 'ws')}/ws`, output: () => stdout, errors: () => stderr, exited };
}
