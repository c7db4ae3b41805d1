// `npm test`: every suite (node, browser, end-to-end), then one plain closing line
// "N passed, N failed" over all of them, so a run that executed nothing is visible.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const only = new Set(process.argv.slice(2)); // e.g. `npm test -- node browser`
const wants = (suite) => only.size === 0 || only.has(suite);

function testFiles(...dirs) {
  return dirs.flatMap((dir) => {
    const full = join(root, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full, { recursive: true })
      .filter((name) => String(name).endsWith('.test.ts'))
      .map((name) => join(dir, String(name)))
      .sort();
  });
}

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status, signal } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`=== ${label} finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${status ?? signal})`);
  return status === 0;
}

function nodeSuite(label, files, file) {
  if (files.length === 0) return { ok: true };
  const ok = run(label, process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/node-counting-reporter.mjs', `--test-reporter-destination=${file}`,
    ...files,
  ]);
  return { ok };
}

const suites = [];
if (wants('node')) {
  const file = join(results, 'node.json');
  suites.push({ name: 'node', file, ...nodeSuite('node tests', testFiles('test/protocol', 'test/server', 'test/locales'), file) });
}
if (wants('browser')) {
  const file = join(results, 'browser.json');
  const ok = testFiles('test/client', 'test/store', 'test/elements').length === 0
    || run('browser tests', process.execPath, ['node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs']);
  suites.push({ name: 'browser', file, ok });
}
if (wants('e2e')) {
  const file = join(results, 'e2e.json');
  const files = testFiles('test/e2e');
  let ok = true;
  if (files.length > 0) {
    ok = run('build for end-to-end tests', 'npm', ['run', 'build', '--silent']);
    // The framework examples (test/e2e/frameworks.test.ts) are built against dist/.
    if (ok) ok = run('build the framework examples', 'npm', ['run', 'build:examples', '--silent']);
    if (ok) ok = nodeSuite('end-to-end tests', files, file).ok;
  }
  suites.push({ name: 'e2e', file, ok });
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(suite.file)) counts = JSON.parse(readFileSync(suite.file, 'utf8').trim().split('\n').pop());
  // A runner that crashed or failed outside any test still fails the run.
  if (!suite.ok && counts.failed === 0) counts.failed = 1;
  console.log(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
