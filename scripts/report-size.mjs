// Prints the gzip size of the script-tag bundle against the widget's budget, and fails the build
// when the bundle is over it, so growth is seen when it happens.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 45 * 1024;
const file = 'dist/rtm-chat.iife.js';
const raw = readFileSync(file);
const gzip = gzipSync(raw, { level: 9 }).byteLength;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`${file}: ${kb(raw.byteLength)} raw, ${kb(gzip)} gzip (budget ${kb(BUDGET_BYTES)} gzip, ${Math.round((gzip / BUDGET_BYTES) * 100)}% used)`);
if (gzip > BUDGET_BYTES) {
  console.error(`${file} is over its gzip budget.`);
  process.exit(1);
}
