import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CloseCodes, ErrorCodes } from '../../src/protocol/index.js';

/** docs/protocol.md is written by hand; these checks keep its code tables exact. */
const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `docs/protocol.md has a "## ${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Rows like "| 101 | `NOT_LOGGED_IN` | …" → { NOT_LOGGED_IN: 101 }. */
function tableCodes(text: string): Record<string, number> {
  const rows = [...text.matchAll(/^\| (\d+) \| `([A-Z_]+)` \|/gm)];
  return Object.fromEntries(rows.map((row) => [row[2]!, Number(row[1])]));
}

describe('docs/protocol.md', () => {
  it('lists every error code with its exact number, and nothing else', () => {
    assert.deepEqual(tableCodes(section('Error codes')), { ...ErrorCodes });
  });

  it('lists every application close code with its exact number', () => {
    assert.deepEqual(tableCodes(section('Close codes')), { ...CloseCodes });
  });
});
