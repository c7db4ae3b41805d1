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
 * A word of plain ASCII text as ICU finds it: letters and digits (no break inside, UAX #29
 * WB5/WB8–WB10), and `.` or `,` between two digits (`3.14`, `1,000`: WB11/WB12).
 */
const ASCII_WORD = '[A-Za-z0-9]+(?:(?<=[0-9])[.,](?=[0-9])[A-Za-z0-9]+)*';
/**
 * Text ICU would split exactly at its spaces and punctuation: such words, spaces, and
 * `. , ! ? ; :` right before a space or the end. Anything else (`a.b`, `e-mail`, `don't`, non-ASCII)
 * goes to the segmenter. Most chat text is like this, and a regex costs a thirtieth of it.
 */
const PLAIN_ASCII = new RegExp(`^(?:${ASCII_WORD}|[ ]+|[.,!?;:]+(?= |$))*$`);
const ASCII_WORDS = new RegExp(ASCII_WORD, 'g');

/** The words of `text`, lowercased, in order (repeats kept). */
export function wordsOf(text: string): string[] {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().match(ASCII_WORDS) ?? [];
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
