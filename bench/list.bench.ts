// `npm run bench` (second part): the message list with a 10,000-message conversation in the
// script-tag build (/embed.html), in Debian's Chromium driven by playwright-core, against a
// baseline measured in the same run: a 150-message conversation, which renders every message
// (plain rendering, the virtualizer is not even loaded). Figures:
// - first paint from IndexedDB: a reload with the server unreachable (its WebSocket refused), so
//   only the session's IndexedDB cache can show messages; time from navigation to the first frame
//   with a message in the DOM (median of a few runs);
// - DOM size with all 10,000 messages held by the session;
// - frames while scrolling through the whole conversation at a fixed speed: the longest
//   requestAnimationFrame interval, the 95th percentile, and the longest long-animation-frame entry
//   of Chromium's performance timeline.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error -- plain ESM script shared with the tests
import { createServerProcess } from '../scripts/server-process.mjs';
// @ts-expect-error -- plain ESM script shared with the tests
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { sendPeerMessages } from '../test/e2e/virtual-seed.js';

const LONG = Number(process.env.BENCH_LIST_MESSAGES ?? 10_000);
const SHORT = 150;
/** Scrolling through the whole conversation: px per frame (about 70,000 px/s: every frame shows all-new messages). */
const FLING_PX = 1200;
/** Scrolling as someone reading fast would: px per frame (about 3,600 px/s), for READ_FRAMES frames. */
const READ_PX = 60;
const READ_FRAMES = 600;
const PAINT_RUNS = 5;

// In-page helpers, as strings: tsx's helpers (__name) do not exist in the page.
const IN_PAGE = `
window.__rtm = {
  deepAll(selector) {
    const found = [];
    const visit = (root) => {
      found.push(...root.querySelectorAll(selector));
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
    };
    visit(document);
    return found;
  },
  log() { return window.__rtm.deepAll('[role="log"]')[0]; },
  held(peer) { return document.querySelector('rtm-chat').session.messagesOf('peer:' + peer).get().length; },
  counts() { return { messages: window.__rtm.deepAll('[part~="message"]').length, elements: window.__rtm.deepAll('*').length }; },
  frame() { return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))); },
  /**
   * Scrolls the log from the top by step px a frame, bouncing at the ends, for at least minFrames
   * frames, and (throughEnd) until it is at the bottom.
   */
  async scroll(step, minFrames, throughEnd) {
    const log = window.__rtm.log();
    log.scrollTop = 0;
    await window.__rtm.frame();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const loaf = [];
    const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) loaf.push(entry.duration); });
    try { observer.observe({ type: 'long-animation-frame' }); } catch {}
    const deltas = [];
    let most = 0;
    let direction = 1;
    let last;
    await new Promise((resolve) => {
      const tick = (now) => {
        if (last !== undefined) deltas.push(now - last);
        last = now;
        most = Math.max(most, window.__rtm.counts().messages);
        const bottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
        if (deltas.length >= minFrames && (bottom || !throughEnd)) return resolve();
        if (direction > 0 && bottom) direction = -1;
        else if (direction < 0 && log.scrollTop <= 0) direction = 1;
        log.scrollTop += direction * step;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    const sorted = [...deltas].sort((a, b) => a - b);
    return {
      frames: deltas.length,
      longest: sorted.at(-1),
      p95: sorted[Math.floor(sorted.length * 0.95)],
      median: sorted[Math.floor(sorted.length / 2)],
      loafMax: loaf.length ? Math.max(...loaf) : 0,
      loafCount: loaf.length,
      mostMessages: most,
    };
  },
};
`;

/** Records when the first message element is in the DOM at a frame (an init script of the page). */
const FIRST_MESSAGE = `
(() => {
  const check = () => {
    if (window.__rtm && window.__rtm.deepAll('[part~="message"]').length > 0) {
      window.__firstMessageAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
`;

interface ScrollFigures {
  frames: number;
  longest: number;
  p95: number;
  median: number;
  loafMax: number;
  loafCount: number;
  mostMessages: number;
}

function ensureBuild(): void {
  if (existsSync('dist/rtm-chat.iife.js') && existsSync('dist/rtm-chat.virtual.js')) return;
  console.log('building dist/rtm-chat.iife.js and its companion files …');
  for (const args of [['vite', 'build'], ['vite', 'build', '--mode', 'companions']]) {
    const { status } = spawnSync('npx', args, { stdio: 'inherit' });
    if (status !== 0) throw new Error(`npx ${args.join(' ')} failed`);
  }
}

async function openConversation(context: BrowserContext, url: string, peer: string, newest: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(IN_PAGE);
  await page.goto(`${url}/embed.html?user=alice&peer=${peer}`);
  await page.getByRole('log').getByText(newest, { exact: true }).waitFor({ timeout: 30_000 });
  return page;
}

/** Scrolls to the top until the session holds `count` messages (each time a page of history). */
async function pageEverythingIn(page: Page, peer: string, count: number): Promise<void> {
  for (;;) {
    const held = (await page.evaluate(`window.__rtm.held(${JSON.stringify(peer)})`)) as number;
    if (held >= count) return;
    await page.evaluate(`window.__rtm.log().scrollTop = 0`);
    await page.waitForFunction(`window.__rtm.held(${JSON.stringify(peer)}) > ${held}`, undefined, { timeout: 5_000 }).catch(() => {});
  }
}

/** Opens the conversation with the server unreachable: only IndexedDB can show its messages. */
async function firstPaintFromCache(context: BrowserContext, url: string, peer: string): Promise<{ ms: number; shown: number }> {
  const page = await context.newPage();
  await page.routeWebSocket(/\/ws/, (socket) => socket.close());
  await page.addInitScript(IN_PAGE);
  await page.addInitScript(FIRST_MESSAGE);
  await page.goto(`${url}/embed.html?user=alice&peer=${peer}`);
  await page.waitForFunction('window.__firstMessageAt !== undefined', undefined, { timeout: 30_000 });
  const ms = (await page.evaluate('window.__firstMessageAt')) as number;
  const shown = (await page.evaluate(`window.__rtm.held(${JSON.stringify(peer)})`)) as number;
  await page.close();
  return { ms, shown };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

ensureBuild();
const server = createServerProcess({ name: 'bench-list' });
await server.start();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH as string, headless: true, args: CHROMIUM_ARGS as string[] });
try {
  const url = server.url as string;
  let started = performance.now();
  await sendPeerMessages(url, 'bob', 'alice', LONG);
  await sendPeerMessages(url, 'carol', 'alice', SHORT, { prefix: 'c' });
  const fillSeconds = (performance.now() - started) / 1000;

  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));

  // The long conversation: page all of it in (the session caches every message in IndexedDB).
  const long = await openConversation(context, url, 'bob', `m${LONG}`);
  started = performance.now();
  await pageEverythingIn(long, 'bob', LONG);
  const pagingSeconds = (performance.now() - started) / 1000;
  await long.evaluate('window.__rtm.frame()');
  const longDom = (await long.evaluate('window.__rtm.counts()')) as { messages: number; elements: number };
  const longFling = (await long.evaluate(`window.__rtm.scroll(${FLING_PX}, 0, true)`)) as ScrollFigures;
  const longRead = (await long.evaluate(`window.__rtm.scroll(${READ_PX}, ${READ_FRAMES}, false)`)) as ScrollFigures;

  // The baseline: 150 messages, plain rendering, scrolled at the same speed for as many frames.
  const short = await openConversation(context, url, 'carol', `c${SHORT}`);
  await pageEverythingIn(short, 'carol', SHORT);
  const shortDom = (await short.evaluate('window.__rtm.counts()')) as { messages: number; elements: number };
  const shortFling = (await short.evaluate(`window.__rtm.scroll(${FLING_PX}, ${longFling.frames}, true)`)) as ScrollFigures;
  const shortRead = (await short.evaluate(`window.__rtm.scroll(${READ_PX}, ${READ_FRAMES}, false)`)) as ScrollFigures;
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the cache writes land
  await long.close();
  await short.close();

  // First paint from IndexedDB, both conversations, alternating.
  const longPaints: number[] = [];
  const shortPaints: number[] = [];
  let longShown = 0;
  let shortShown = 0;
  for (let run = 0; run < PAINT_RUNS; run++) {
    const a = await firstPaintFromCache(context, url, 'bob');
    const b = await firstPaintFromCache(context, url, 'carol');
    longPaints.push(a.ms);
    shortPaints.push(b.ms);
    longShown = a.shown;
    shortShown = b.shown;
  }
  await context.close();

  const version = browser.version();
  console.log(`\nlist bench: /embed.html (script-tag build), Chromium ${version} headless, viewport 800×900`);
  console.log(`fill: ${LONG} + ${SHORT} messages sent through the server in ${fillSeconds.toFixed(1)} s; ${LONG} paged into the list (100 a page) in ${pagingSeconds.toFixed(1)} s`);
  console.log(`${''.padEnd(44)} ${`${LONG} messages`.padStart(16)} ${`baseline ${SHORT}`.padStart(16)}   ratio`);
  const row = (name: string, a: number, b: number, format: (n: number) => string) =>
    console.log(`${name.padEnd(44)} ${format(a).padStart(16)} ${format(b).padStart(16)}   ${b ? (a / b).toFixed(2) : '—'}`);
  row(`first paint from IndexedDB (median of ${PAINT_RUNS})`, median(longPaints), median(shortPaints), ms);
  console.log(`${'  messages shown from the cache'.padEnd(44)} ${String(longShown).padStart(16)} ${String(shortShown).padStart(16)}`);
  row('message elements in the DOM (all held)', longDom.messages, shortDom.messages, String);
  row('elements in the DOM (with shadow roots)', longDom.elements, shortDom.elements, String);
  row('message elements in the DOM while scrolling', Math.max(longFling.mostMessages, longRead.mostMessages), Math.max(shortFling.mostMessages, shortRead.mostMessages), String);
  for (const [name, px, a, b] of [
    ['through all of it', FLING_PX, longFling, shortFling],
    ['reading fast', READ_PX, longRead, shortRead],
  ] as const) {
    console.log(`scrolling ${name} at ${px} px/frame: ${a.frames} frames / ${b.frames} frames (baseline)`);
    row('  longest frame (rAF interval)', a.longest, b.longest, ms);
    row('  95th percentile frame', a.p95, b.p95, ms);
    row('  median frame', a.median, b.median, ms);
    // 0: no frame took more than 50 ms, so none was reported.
    row('  longest long-animation-frame entry', a.loafMax, b.loafMax, ms);
    console.log(`${'  long-animation-frame entries (> 50 ms)'.padEnd(44)} ${String(a.loafCount).padStart(16)} ${String(b.loafCount).padStart(16)}`);
  }
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.stop();
}
