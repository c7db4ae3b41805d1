// Which parts of the script-tag bundle a text conversation runs: the map for shrinking the first
// load (issue 12's goal). Starts the real server, opens a customer page as alice with a peer
// conversation (and bob beside her), sends and receives a text, then maps Chromium's precise
// coverage of dist/rtm-chat.iife.js back to the sources through its source map and prints each
// source's bytes not run, most first. Bytes are the minified bundle's (raw, before gzip).
//
//   npm run build && node scripts/first-load-coverage.mjs [rows]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { createServerProcess, freePort } from './server-process.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { SourceMapConsumer } = require('source-map-js');
const rows = Number(process.argv[2] ?? 40);
const bundle = 'dist/rtm-chat.iife.js';

const server = createServerProcess({ name: 'first-load-coverage' });
await server.start();
const page = (user, peer) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
<script src="${server.url}/dist/rtm-chat.iife.js"></script></head><body>
<rtm-chat server="${server.url}" app-id="demo" user-id="${user}"><rtm-channel peer="${peer}"></rtm-channel></rtm-chat>
<script>document.querySelector('rtm-chat').tokenProvider = () => fetch('${server.url}/api/dev/token', { method: 'POST',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uid: '${user}' }) }).then((r) => r.json()).then((b) => b.token);</script>
</body></html>`;
const sitePort = await freePort();
const site = createServer((request, response) => {
  const [user, peer] = request.url.includes('bob') ? ['cov-bob', 'cov-alice'] : ['cov-alice', 'cov-bob'];
  response.writeHead(200, { 'content-type': 'text/html' }).end(page(user, peer));
}).listen(sitePort, '127.0.0.1');

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const cdp = await alice.context().newCDPSession(alice);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
  const fetched = [];
  alice.on('request', (request) => request.url().includes('/dist/') && fetched.push(request.url().slice(request.url().lastIndexOf('/') + 1)));
  await bob.goto(`http://localhost:${sitePort}/bob`);
  await alice.goto(`http://localhost:${sitePort}/alice`);
  const send = async (from, text) => {
    const box = from.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
  };
  await send(alice, 'hello bob');
  await bob.getByText('hello bob').waitFor({ timeout: 15_000 });
  await send(bob, 'hi alice');
  await alice.getByText('hi alice').waitFor({ timeout: 15_000 });
  await alice.getByRole('log').getByText('Read', { exact: true }).first().waitFor({ timeout: 15_000 });
  const { result } = await cdp.send('Profiler.takePreciseCoverage');
  const coverage = result.find((script) => script.url.endsWith('/dist/rtm-chat.iife.js'));

  // Byte by byte: run or not (nested ranges come after the ones they refine).
  const code = readFileSync(bundle, 'utf8');
  const ran = new Uint8Array(code.length);
  for (const fn of coverage.functions) for (const range of fn.ranges) ran.fill(range.count > 0 ? 1 : 0, range.startOffset, range.endOffset);
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const mappings = [];
  new SourceMapConsumer(JSON.parse(readFileSync(`${bundle}.map`, 'utf8'))).eachMapping((mapping) => mappings.push(mapping));
  const bySource = new Map();
  for (let i = 0; i < mappings.length; i++) {
    const from = lineStarts[mappings[i].generatedLine - 1] + mappings[i].generatedColumn;
    const next = mappings[i + 1];
    const to = next ? lineStarts[next.generatedLine - 1] + next.generatedColumn : code.length;
    const source = (mappings[i].source ?? '(no source)').replace(/.*node_modules\//, '').replace(/.*?\/src\//, 'src/');
    const counts = bySource.get(source) ?? [0, 0];
    for (let at = from; at < to; at++) counts[ran[at]]++;
    bySource.set(source, counts);
  }
  const total = [...bySource.values()].reduce((sum, [unused, used]) => [sum[0] + unused, sum[1] + used], [0, 0]);
  console.log(`fetched from /dist/: ${fetched.join(', ')}`);
  console.log(`${bundle}: ${total[1]} bytes run, ${total[0]} not run, of ${code.length}`);
  // The floor of any split: the bytes run, as if every byte not run could live in another file
  // (it cannot: a branch not taken stays in its function). Gzip sizes, level 9, like the build's.
  let runOnly = '';
  for (let at = 0; at < code.length; at++) if (ran[at] === 1) runOnly += code[at];
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`gzip: the bundle ${kb(gzipSync(code, { level: 9 }).length)}; its bytes run alone ${kb(gzipSync(runOnly, { level: 9 }).length)} (no split gets below this)`);
  console.log('not run   run  source');
  for (const [source, [unused, used]] of [...bySource].sort((a, b) => b[1][0] - a[1][0]).slice(0, rows)) {
    console.log(`${String(unused).padStart(7)} ${String(used).padStart(5)}  ${source}`);
  }
} finally {
  await browser.close();
  site.close();
  await server.stop();
}
