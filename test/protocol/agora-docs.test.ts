/**
 * The Agora RTM 1.x docs say what the type-checked records say: README.md's migration table is
 * test/types/agora-migration.ts's (every Agora name), and docs/agora-compat.md's table of
 * differences is test/types/agora-compat.ts's lists with their reasons. Regenerate them with
 * `node --import tsx scripts/agora-migration.mjs [differences]`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { differencesTable, migrationTable } from '../types/agora-migration.js';

function between(file: string, marker: string): string {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const start = text.indexOf(`<!-- ${marker}:start -->\n`);
  const end = text.indexOf(`\n<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `${file} has the ${marker} markers`);
  return text.slice(start + `<!-- ${marker}:start -->\n`.length, end);
}

describe('Agora RTM 1.x docs', () => {
  it("README.md's migration table names every Agora member, as test/types/agora-migration.ts says", () => {
    assert.equal(between('README.md', 'migration'), migrationTable());
  });

  it("docs/agora-compat.md gives the reason of every member left out or implemented differently", () => {
    assert.equal(between('docs/agora-compat.md', 'differences'), differencesTable());
  });
});
