import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordsOf } from '../../src/server/messaging/search-text.js';

/** What the ICU word segmenter alone makes of `text` (wordsOf's reference behaviour). */
function icuWords(text: string): string[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());
}

describe('search words', () => {
  it('splits plain ASCII text exactly as ICU does (the fast path must never change a word)', () => {
    // Random strings over letters, digits, spaces and the punctuation the fast path knows, plus
    // a few characters it does not (they must go to ICU): 20,000 cases, a fixed seed.
    const alphabet = 'aZ09 .,!?;:\'-_é你';
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 12);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      assert.deepEqual(wordsOf(text), icuWords(text), JSON.stringify(text));
    }
  });

  it('finds the words of everyday messages, and of text ICU must split', () => {
    assert.deepEqual(wordsOf('Hello there, how are you?'), ['hello', 'there', 'how', 'are', 'you']);
    assert.deepEqual(wordsOf('Meet at 3.15 in room B2.'), ['meet', 'at', '3.15', 'in', 'room', 'b2']);
    assert.deepEqual(wordsOf("don't panic"), ["don't", 'panic']);
    assert.deepEqual(wordsOf('你好世界 hello'), icuWords('你好世界 hello'));
  });
});
