// Prints the gzip size of the script-tag bundle against the widget's budget, and fails the build
// when the bundle is over it, so growth is seen when it happens. The virtualizer's companion file
// (fetched by the bundle only for long conversations) is printed on its own line: it is not part
// of what every page downloads, so it has no share of the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 45 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes(file) {
  const raw = readFileSync(file);
  return { raw: raw.byteLength, gzip: gzipSync(raw, { level: 9 }).byteLength };
}

const file = 'dist/rtm-chat.iife.js';
const { raw, gzip } = sizes(file);
console.log(`${file}: ${kb(raw)} raw, ${kb(gzip)} gzip (budget ${kb(BUDGET_BYTES)} gzip, ${Math.round((gzip / BUDGET_BYTES) * 100)}% used)`);
const companion = 'dist/rtm-chat.virtual.js';
const virtual = sizes(companion);
console.log(`${companion}: ${kb(virtual.raw)} raw, ${kb(virtual.gzip)} gzip (loaded by the script-tag bundle for conversations over 150 messages)`);
if (gzip > BUDGET_BYTES) {
  console.error(`${file} is over its gzip budget.`);
  process.exit(1);
}
