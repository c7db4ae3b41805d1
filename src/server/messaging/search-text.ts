import type { StoredBody } from '../../protocol/index.js';

/**
 * What search finds a message by, and how text becomes search words. Words come from
 * `Intl.Segmenter` (ICU word boundaries), so Chinese and Japanese, written without spaces, split
 * into words as well as Latin text does; they are lowercased and joined by spaces for the FTS5
 * index (unicode61 tokenizer), and queries go through the same steps.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** The text of a message search looks in (empty for a retracted or raw-only message). */
export function searchableText(body: StoredBody): string {
  switch (body.type) {
    case 'TEXT':
      return body.text;
    case 'RAW':
    case 'CUSTOM':
      return body.description ?? '';
    case 'LOCATION':
      return [body.name, body.address].filter(Boolean).join(' · ');
    case 'RETRACTED':
      return '';
    default:
      return [body.fileName, body.description].filter(Boolean).join(' · ');
  }
}

/**
 * Text ICU would split exactly at its spaces and trailing punctuation: runs of ASCII letters and
 * digits (no break inside, UAX #29 WB5/WB8–WB10), spaces, and `. , ! ? ; :` only right before a
 * space or the end (inside a word, as in `3.14` or `a.b`, they join it, so such text goes to ICU).
 * Most chat text is like this, and the segmenter costs several times more than a regex.
 */
const PLAIN_ASCII = /^(?:[A-Za-z0-9]+|[ ]+|[.,!?;:]+(?= |$))*$/;

/** The words of `text`, lowercased, in order (repeats kept). */
export function wordsOf(text: string): string[] {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const words: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) if (isWordLike) words.push(segment.toLowerCase());
  return words;
}

/** An FTS5 query matching messages with every word of `query` (each as a quoted term). */
export function matchQuery(query: string): string | undefined {
  const words = [...new Set(wordsOf(query))];
  return words.length === 0 ? undefined : words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}

/** Where the words of `query` occur in `text`, as `[start, end)` ranges in order, not overlapping. */
export function highlightRanges(text: string, query: string): [number, number][] {
  const wanted = new Set(wordsOf(query));
  const ranges: [number, number][] = [];
  for (const { segment, index, isWordLike } of segmenter.segment(text)) {
    if (isWordLike && wanted.has(segment.toLowerCase())) ranges.push([index, index + segment.length]);
  }
  return ranges;
}
