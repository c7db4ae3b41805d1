// Shared set-up for end-to-end tests: the real server (built bundles + demo served from the
// project root), Debian's Chromium driven by playwright-core, and a second origin for embeds.
import { createServer, type Server } from 'node:http';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
// @ts-expect-error -- a plain ESM script shared with the browser test config
import { createServerProcess, freePort } from '../../scripts/server-process.mjs';
// @ts-expect-error -- a plain ESM script shared with the browser test config
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

export interface RtmServerProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  readonly url: string;
  readonly port: number;
}

export function rtmServer(name: string): RtmServerProcess {
  return createServerProcess({ name }) as RtmServerProcess;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH as string,
    headless: true,
    args: CHROMIUM_ARGS as string[],
  });
}

/** A page's console errors and uncaught exceptions, so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

/**
 * A customer's page for the script-tag embed: the README snippet, with the script and the server
 * on the chat origin and a token from its dev-token endpoint. `target` is `peer="…"` or
 * `channel="…"` for the `<rtm-channel>` inside.
 */
export function customerPage(chatOrigin: string, user: string, target: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Customer site</title><link rel="icon" href="data:,">
<script src="${chatOrigin}/dist/rtm-chat.iife.js"></script></head>
<body>
<rtm-chat server="${chatOrigin}" app-id="demo" user-id="${user}">
  <rtm-channel ${target}></rtm-channel>
</rtm-chat>
<script>
  document.querySelector('rtm-chat').tokenProvider = () =>
    fetch('${chatOrigin}/api/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uid: '${user}' }) }).then((r) => r.json()).then((b) => b.token);
</script>
</body></html>`;
}

/** Serves fixed HTML pages from another origin (localhost vs 127.0.0.1, another port). */
export async function serveOtherOrigin(pages: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const port = (await freePort()) as number;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const body = pages[path];
    if (body === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A REST API call as the demo app's backend (Basic auth with the credentials the server printed on
 * its first start), under `/dev/v2/project/demo/rtm/`.
 */
export async function demoRest(
  server: RtmServerProcess,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { result: string; code: string } & Record<string, unknown> }> {
  const output = (server as unknown as { output: string }).output;
  const key = /restKey:\s+(\S+)/.exec(output)?.[1];
  const secret = /restSecret:\s+(\S+)/.exec(output)?.[1];
  if (!key || !secret) throw new Error(`The server did not print the demo app's REST credentials:\n${output}`);
  const response = await fetch(`${server.url}/dev/v2/project/demo/rtm/${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
      ...(body !== undefined && { 'content-type': 'application/json;charset=utf-8' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { result: string; code: string } };
}

/** Types a message into a conversation's composer and sends it with Enter. */
export async function sendText(conversation: Locator, text: string): Promise<void> {
  const box = conversation.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Waits until a conversation's message log shows `text`. */
export async function expectInLog(conversation: Locator, text: string, timeout = 15_000): Promise<void> {
  await conversation.getByRole('log').getByText(text, { exact: true }).waitFor({ state: 'visible', timeout });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * The usual frame of an end-to-end test file: the real server and Chromium started before its
 * tests and stopped after them (node:test hooks), and a way to open a page as a fresh user
 * (its own browser context: own storage, own session).
 */
export function endToEnd(name: string): {
  server: RtmServerProcess;
  browser(): Browser;
  openPage(url: string, options?: BrowserContextOptions): Promise<OpenedPage>;
} {
  const server = rtmServer(name);
  let browser: Browser | undefined;
  before(async () => {
    await server.start();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server.stop();
  });
  return {
    server,
    browser: () => browser!,
    async openPage(url, options) {
      const context = await browser!.newContext(options);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(url);
      return { context, page, errors, close: () => context.close() };
    },
  };
}
