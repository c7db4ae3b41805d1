import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FrameError,
  MAX_FRAME_BYTES,
  MAX_MEDIA_DURATION_MS,
  MAX_MESSAGE_BYTES,
  messageByteSize,
  parseClientFrame,
  parseWireMessage,
  RtmError,
  requireDurationMs,
  type WireMessage,
} from '../../src/protocol/index.js';

/** Bytes of `{"type":"TEXT","text":""}`: what a TEXT message costs besides its text. */
const TEXT_OVERHEAD = messageByteSize({ type: 'TEXT', text: '' });

/** A TEXT message whose serialized size is exactly `bytes`, built from `unit` plus ASCII padding. */
function textOfSize(bytes: number, unit = 'a'): WireMessage {
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const room = bytes - TEXT_OVERHEAD;
  const text = unit.repeat(Math.floor(room / unitBytes)) + 'a'.repeat(room % unitBytes);
  const message: WireMessage = { type: 'TEXT', text };
  assert.equal(messageByteSize(message), bytes, 'test construction');
  return message;
}

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RtmError) return error.reason;
    throw error;
  }
  return 'ok';
};

describe('message size cap', () => {
  it('is 32768 bytes', () => {
    assert.equal(MAX_MESSAGE_BYTES, 32768);
    assert.equal(TEXT_OVERHEAD, 25);
  });

  it('accepts an ASCII message of exactly 32768 serialized bytes and refuses 32769', () => {
    assert.equal(reasonOf(() => parseWireMessage(textOfSize(32768))), 'ok');
    assert.equal(reasonOf(() => parseWireMessage(textOfSize(32769))), 'MESSAGE_TOO_LARGE');
  });

  for (const [name, unit] of [
    ['2-byte é', 'é'],
    ['3-byte €', '€'],
    ['4-byte emoji (two UTF-16 units)', '😀'],
    ['CJK', '中'],
  ] as const) {
    it(`counts UTF-8 bytes, not characters: ${name} at 32768 ok, 32769 refused`, () => {
      const atCap = textOfSize(32768, unit);
      assert.ok((atCap as { text: string }).text.length < 32768, 'fewer characters than bytes');
      assert.equal(reasonOf(() => parseWireMessage(atCap)), 'ok');
      assert.equal(reasonOf(() => parseWireMessage(textOfSize(32769, unit))), 'MESSAGE_TOO_LARGE');
    });
  }

  it('refuses when one multi-byte character crosses the cap', () => {
    const room = 32768 - TEXT_OVERHEAD;
    const fits = { type: 'TEXT', text: 'a'.repeat(room - 2) + 'é' } as const;
    const crosses = { type: 'TEXT', text: 'a'.repeat(room - 1) + 'é' } as const;
    assert.equal(messageByteSize(fits), 32768);
    assert.equal(reasonOf(() => parseWireMessage(fits)), 'ok');
    assert.equal(messageByteSize(crosses), 32769);
    assert.equal(reasonOf(() => parseWireMessage(crosses)), 'MESSAGE_TOO_LARGE');
  });

  it('measures the JSON serialization, so escaped characters count twice', () => {
    const room = 32768 - TEXT_OVERHEAD;
    // Same character count as a message at the cap, but one '"' serializes as \" (2 bytes).
    const escaped = { type: 'TEXT', text: 'a'.repeat(room - 1) + '"' } as const;
    assert.equal(escaped.text.length, room);
    assert.equal(reasonOf(() => parseWireMessage(escaped)), 'MESSAGE_TOO_LARGE');
  });

  it('applies to RAW messages too (data plus description)', () => {
    const overhead = messageByteSize({ type: 'RAW', data: '' });
    // Leave room for the description; base64 data must be a multiple of 4 characters.
    const data = 'A'.repeat(Math.floor((32768 - overhead - 100) / 4) * 4);
    const spare = 32768 - overhead - data.length;
    const description = 'd'.repeat(spare - ',"description":""'.length);
    const atCap = { type: 'RAW', data, description } as const;
    assert.equal(messageByteSize(atCap), 32768);
    assert.equal(reasonOf(() => parseWireMessage(atCap)), 'ok');
    assert.equal(reasonOf(() => parseWireMessage({ ...atCap, description: description + 'd' })), 'MESSAGE_TOO_LARGE');
  });

  it('a peer.send frame carrying a message at the cap fits in the WebSocket max payload', () => {
    const frame = JSON.stringify({
      t: 'peer.send',
      id: 2 ** 31 - 1,
      to: '~'.repeat(64),
      cmid: 'c'.repeat(64),
      offline: true,
      message: textOfSize(32768),
    });
    assert.ok(Buffer.byteLength(frame) <= MAX_FRAME_BYTES);
    assert.equal(parseClientFrame(frame).t, 'peer.send');
  });
});

describe('empty and invalid messages', () => {
  it('refuses empty text with MESSAGE_EMPTY and accepts one character', () => {
    assert.equal(reasonOf(() => parseWireMessage({ type: 'TEXT', text: '' })), 'MESSAGE_EMPTY');
    assert.equal(reasonOf(() => parseWireMessage({ type: 'TEXT', text: ' ' })), 'ok');
  });

  it('refuses empty RAW data', () => {
    assert.equal(reasonOf(() => parseWireMessage({ type: 'RAW', data: '' })), 'MESSAGE_EMPTY');
  });

  it('refuses unknown types and wrong field types with INVALID_MESSAGE', () => {
    for (const value of [
      null,
      'hi',
      [],
      { type: 'HTML', text: '<b>x</b>' },
      { type: 'TEXT' },
      { type: 'TEXT', text: 5 },
      { type: 'RAW', data: 'not base64!' },
      { type: 'RAW', data: 'AAAA', description: 3 },
    ]) {
      assert.equal(reasonOf(() => parseWireMessage(value)), 'INVALID_MESSAGE', JSON.stringify(value));
    }
  });

  it('keeps only known fields', () => {
    assert.deepEqual(parseWireMessage({ type: 'TEXT', text: 'hi', html: '<script>' }), { type: 'TEXT', text: 'hi' });
  });

  it('an empty message inside a frame is refused with the frame id', () => {
    const text = JSON.stringify({ t: 'channel.send', id: 3, channel: 'c', cmid: 'x', message: { type: 'TEXT', text: '' } });
    assert.throws(
      () => parseClientFrame(text),
      (error: unknown) => error instanceof FrameError && error.reason === 'MESSAGE_EMPTY' && error.requestId === 3,
    );
  });
});

describe('voice and video durations', () => {
  const media = { mediaId: 'A'.repeat(22), size: 10, fileName: 'clip.webm' };

  it('requireDurationMs passes an integer from 1 to MAX_MEDIA_DURATION_MS and refuses the rest with INVALID_MESSAGE', () => {
    assert.equal(requireDurationMs(1, 'AUDIO'), 1);
    assert.equal(requireDurationMs(MAX_MEDIA_DURATION_MS, 'VIDEO'), MAX_MEDIA_DURATION_MS);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_MEDIA_DURATION_MS + 1, '1000', undefined, null]) {
      assert.equal(reasonOf(() => requireDurationMs(bad, 'AUDIO')), 'INVALID_MESSAGE', String(bad));
    }
    assert.throws(() => requireDurationMs(0, 'VIDEO'), /A VIDEO message needs "durationMs"/);
    assert.throws(() => requireDurationMs(0, 'AUDIO'), /An AUDIO message needs "durationMs"/);
  });

  it('AUDIO and VIDEO messages need one; other media messages carry none', () => {
    assert.deepEqual(parseWireMessage({ type: 'AUDIO', ...media, durationMs: 1200 }), { type: 'AUDIO', ...media, durationMs: 1200 });
    assert.equal(reasonOf(() => parseWireMessage({ type: 'VIDEO', ...media })), 'INVALID_MESSAGE');
    assert.equal(reasonOf(() => parseWireMessage({ type: 'AUDIO', ...media, durationMs: 0 })), 'INVALID_MESSAGE');
    assert.deepEqual(parseWireMessage({ type: 'FILE', ...media, durationMs: 1200 }), { type: 'FILE', ...media });
  });
});
