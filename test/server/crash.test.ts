import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import type { ServerFrame, StoredMessage } from '../../src/protocol/index.js';
// @ts-expect-error -- a plain ESM script shared with the browser test config and the bench
import { createServerProcess } from '../../scripts/server-process.mjs';
import { fullHistory, TestClient, text } from './helpers.js';

interface ServerProcess {
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  readonly url: string;
}

/** The load of issue 11: 50 clients send 10,000 messages in total while the server is SIGKILLed every 5 s. */
const CLIENTS = 50;
const TOTAL_MESSAGES = 10_000;
const MESSAGES_PER_CLIENT = TOTAL_MESSAGES / CLIENTS;
const KILL_EVERY_MS = 5_000;
/**
 * Sends in flight per client, and the pace: 10/s per client (500/s together, so 10,000 take about
 * 20 s of traffic and several kills) stays under SENDS_PER_SECOND.
 */
const WINDOW = 4;
const TICK_MS = 100;
const CHANNEL = 'crash-room';
const SINK = 'sink';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function devToken(url: string, uid: string): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(`${url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uid }),
      });
      return ((await response.json()) as { token: string }).token;
    } catch {
      await sleep(100); // the server is restarting
    }
  }
}

/**
 * A client that sends continuously the way the widget's outbox does: every message has a cmid,
 * stays pending until acked, and after a reconnect everything pending is sent again with the same
 * cmid. Half the clients send peer messages (to SINK), half channel messages.
 */
class Sender {
  readonly pending = new Map<string, { t: string; [key: string]: unknown }>();
  readonly acked = new Map<string, string>(); // cmid → messageId
  readonly inFlight = new Map<number, string>(); // request id → cmid
  readonly problems: string[] = [];
  created = 0;
  resent = 0;
  /** Resends the server answered with `duplicate: true`: stored before the kill, ack lost with it. */
  ackedAsDuplicate = 0;
  connects = 0;
  #ws: WebSocket | undefined;
  #ready = false;
  #stopSending = false;
  #stopped = false;
  #nextId = 1;
  #timer: NodeJS.Timeout | undefined;
  #token = '';

  constructor(
    readonly uid: string,
    readonly kind: 'peer' | 'channel',
    readonly url: () => string,
  ) {}

  async run(): Promise<void> {
    this.#token = await devToken(this.url(), this.uid);
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    while (!this.#stopped) {
      try {
        await this.#session();
      } catch {
        // refused connection while the server is down
      }
      if (!this.#stopped) await sleep(50 + Math.random() * 100);
    }
  }

  /** No new messages from now on; pending ones are still resent until acked. */
  stopSending(): void {
    this.#stopSending = true;
  }

  close(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#ws?.terminate();
  }

  #session(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.url().replace(/^http/, 'ws')}/ws`);
      this.#ws = ws;
      ws.on('error', () => {});
      ws.once('close', () => {
        this.#ready = false;
        this.inFlight.clear(); // lost with the socket; still pending
        resolve();
      });
      ws.once('unexpected-response', () => reject(new Error('unexpected response')));
      ws.once('open', () => {
        this.connects++;
        this.#send({ t: 'login', appId: 'demo', uid: this.uid, token: this.#token });
      });
      ws.on('message', (data) => this.#onFrame(JSON.parse(String(data)) as ServerFrame));
    });
  }

  #send(frame: Record<string, unknown>, cmid?: string): void {
    const id = this.#nextId++;
    if (cmid) this.inFlight.set(id, cmid);
    this.#ws?.send(JSON.stringify({ ...frame, id }));
  }

  #onFrame(frame: ServerFrame): void {
    if (frame.t !== 'reply') return;
    const cmid = this.inFlight.get(frame.id);
    if (cmid === undefined) {
      // login or channel.join
      if (!frame.ok) {
        this.problems.push(`${this.uid}: ${JSON.stringify(frame.error)}`);
        return;
      }
      if ('uid' in frame.result && this.kind === 'channel') {
        this.#send({ t: 'channel.join', channel: CHANNEL });
        return;
      }
      this.#ready = true;
      // Everything not acked goes again, oldest first, with its cmid.
      for (const [pendingCmid, message] of this.pending) {
        this.resent++;
        this.#send(message, pendingCmid);
      }
      return;
    }
    this.inFlight.delete(frame.id);
    if (!frame.ok) {
      // TOO_OFTEN would be a pacing bug here; anything else is a failure. Either way it stays pending.
      this.problems.push(`${this.uid} ${cmid}: ${frame.error.reason}`);
      return;
    }
    const result = frame.result as { messageId: string; duplicate: boolean };
    const before = this.acked.get(cmid);
    if (before !== undefined && before !== result.messageId) this.problems.push(`${cmid} acked with two ids`);
    if (result.duplicate) this.ackedAsDuplicate++;
    this.acked.set(cmid, result.messageId);
    this.pending.delete(cmid);
  }

  #tick(): void {
    if (!this.#ready || this.#stopSending || this.inFlight.size >= WINDOW) return;
    if (this.created >= MESSAGES_PER_CLIENT) return;
    const cmid = `${this.uid}-${this.created++}`;
    const message =
      this.kind === 'peer'
        ? { t: 'peer.send', to: SINK, cmid, message: text(`${cmid}`), offline: true }
        : { t: 'channel.send', channel: CHANNEL, cmid, message: text(`${cmid}`) };
    this.pending.set(cmid, message);
    this.#send(message, cmid);
  }
}

describe('crash safety', () => {
  let dataDir: string;
  let server: ServerProcess;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rtm-crash-'));
    server = createServerProcess({ name: 'crash', env: { RTM_DATA_DIR: dataDir } }) as ServerProcess;
  });
  after(async () => {
    await server.kill();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acked message exactly once while ${CLIENTS} clients send ${TOTAL_MESSAGES} messages and the server is SIGKILLed every ${KILL_EVERY_MS / 1000} s`, async () => {
    const started = Date.now();
    await server.start();
    const senders = Array.from({ length: CLIENTS }, (_, i) => new Sender(`crash${i}`, i % 2 === 0 ? 'peer' : 'channel', () => server.url));
    const running = senders.map((sender) => sender.run());

    // Killed every 5 s (±1 s, so the kill lands at varying points of a batch) until every message was created.
    const killedAfter: number[] = [];
    const created = () => senders.reduce((sum, s) => sum + s.created, 0);
    while (created() < TOTAL_MESSAGES) {
      const wait = KILL_EVERY_MS - 1000 + Math.floor(Math.random() * 2000);
      await sleep(wait);
      if (created() >= TOTAL_MESSAGES) break;
      killedAfter.push(wait);
      await server.kill(); // SIGKILL: no flush, no goodbye
      await server.start(); // same port, same data dir
    }
    for (const sender of senders) sender.stopSending();
    // Pending sends are resent until acked (the last restart may have lost some in flight).
    const deadline = Date.now() + 30_000;
    while (senders.some((s) => s.pending.size > 0) && Date.now() < deadline) await sleep(50);
    for (const sender of senders) sender.close();
    await Promise.all(running);

    // What the server kept, through its own history API.
    const reader = await TestClient.open(`${server.url.replace(/^http/, 'ws')}/ws`);
    await reader.requestOk({ t: 'login', appId: 'demo', uid: SINK, token: await devToken(server.url, SINK) });
    await reader.requestOk({ t: 'channel.join', channel: CHANNEL });
    const stored: StoredMessage[] = [...(await fullHistory(reader, { channel: CHANNEL }))];
    for (const sender of senders) if (sender.kind === 'peer') stored.push(...(await fullHistory(reader, { peer: sender.uid })));
    reader.terminate();

    const count = new Map<string, number>();
    for (const message of stored) count.set(message.cmid!, (count.get(message.cmid!) ?? 0) + 1);
    const byId = new Map(stored.map((message) => [message.cmid!, message.id]));
    let sent = 0;
    let acked = 0;
    let found = 0;
    let duplicates = 0;
    let missing = 0;
    let wrongId = 0;
    for (const sender of senders) {
      sent += sender.created;
      acked += sender.acked.size;
      for (const [cmid, messageId] of sender.acked) {
        const n = count.get(cmid) ?? 0;
        if (n === 0) missing++;
        else found++;
        if (n > 1) duplicates++;
        if (n > 0 && byId.get(cmid) !== messageId) wrongId++;
      }
    }
    const extra = stored.length - found - [...count.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

    // The database file survived every kill intact.
    await server.kill();
    const db = new Database(join(dataDir, 'rtm.sqlite'));
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();

    const totals = (key: 'resent' | 'ackedAsDuplicate' | 'connects') => senders.reduce((sum, s) => sum + s[key], 0);
    console.log(
      [
        `crash test: ${killedAfter.length} SIGKILLs (after ${killedAfter.join(', ')} ms of traffic each), ${CLIENTS} clients, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  sent ${sent}, acked ${acked}, found ${found}, duplicates ${duplicates}, missing ${missing}, stored but never acked ${extra}`,
        `  resent after reconnect ${totals('resent')} (of which the server had already stored ${totals('ackedAsDuplicate')}: acked duplicate, stored once), connections ${totals('connects')}`,
        `  PRAGMA integrity_check: ${String(integrity)}`,
      ].join('\n'),
    );

    assert.deepEqual(senders.flatMap((s) => s.problems), []);
    assert.equal(sent, TOTAL_MESSAGES);
    assert.ok(killedAfter.length >= 2, `the server was killed while clients sent (${killedAfter.length} kills)`);
    assert.equal(acked, sent, 'every message was acked in the end (resends after the restarts)');
    assert.equal(found, acked);
    assert.equal(duplicates, 0);
    assert.equal(missing, 0);
    assert.equal(wrongId, 0, 'a resend is acked with the id of the stored message');
    assert.equal(extra, 0);
    assert.equal(integrity, 'ok');
  });
});
