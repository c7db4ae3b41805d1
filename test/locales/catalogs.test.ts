// The locale catalogs stay in step with the code: every message the elements show is in
// xliff/*.xlf with a translation that keeps its values, and src/locales/*.ts are what
// `lit-localize build` writes from them (`npm run locales` does both after a string changes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const LOCALES = ['zh-CN', 'ar'];
const units = (xliff: string) =>
  [...xliff.matchAll(/<trans-unit id="(\w+)">\s*<source>([\s\S]*?)<\/source>(?:\s*<target>([\s\S]*?)<\/target>)?/g)].map(([, id, source, target]) => ({
    id: id!,
    source: source!,
    target,
  }));
const placeholders = (text: string) => [...text.matchAll(/<x id="(\d+)"/g)].map((match) => match[1]).sort();

let work: string;
before(() => {
  // lit-localize writes where its config says: a copy of the config pointing into a temp dir.
  work = mkdtempSync(join(tmpdir(), 'rtm-locales-'));
  // Paths in a lit-localize config are relative to the config file.
  const config = JSON.parse(readFileSync('lit-localize.json', 'utf8'));
  config.tsConfig = resolve(config.tsConfig);
  config.interchange.xliffDir = join(work, 'xliff');
  config.output.outputDir = join(work, 'locales');
  writeFileSync(join(work, 'extract.json'), JSON.stringify(config));
  writeFileSync(join(work, 'build.json'), JSON.stringify({ ...config, interchange: { ...config.interchange, xliffDir: resolve('xliff') } }));
});
after(() => rmSync(work, { recursive: true, force: true }));

const litLocalize = (...args: string[]) => execFileSync(process.execPath, ['node_modules/@lit/localize-tools/bin/lit-localize.js', ...args], { stdio: 'pipe' });

describe('locale catalogs', () => {
  for (const locale of LOCALES) {
    it(`${locale}: every message has a translation with the same values`, () => {
      const all = units(readFileSync(`xliff/${locale}.xlf`, 'utf8'));
      assert.ok(all.length > 100, 'the catalog lists the widget’s messages');
      const untranslated = all.filter((unit) => !unit.target?.trim()).map((unit) => unit.source);
      assert.deepEqual(untranslated, [], `untranslated in xliff/${locale}.xlf`);
      const changed = all.filter((unit) => placeholders(unit.source).join() !== placeholders(unit.target!).join()).map((unit) => unit.id);
      assert.deepEqual(changed, [], 'translations that drop or add a value');
    });
  }

  it('lists exactly the messages in the code (run `npm run locales` after changing a string)', () => {
    litLocalize('extract', '--config', join(work, 'extract.json'));
    const fromCode = units(readFileSync(join(work, 'xliff', 'zh-CN.xlf'), 'utf8'))
      .map((unit) => `${unit.id} ${unit.source}`)
      .sort();
    const committed = units(readFileSync('xliff/zh-CN.xlf', 'utf8'))
      .map((unit) => `${unit.id} ${unit.source}`)
      .sort();
    assert.deepEqual(committed, fromCode);
  });

  it('src/locales/ is what lit-localize builds from xliff/', () => {
    litLocalize('build', '--config', join(work, 'build.json'));
    for (const file of readdirSync(join(work, 'locales'))) {
      assert.equal(readFileSync(join('src/locales', file), 'utf8'), readFileSync(join(work, 'locales', file), 'utf8'), `src/locales/${file}`);
    }
  });
});
