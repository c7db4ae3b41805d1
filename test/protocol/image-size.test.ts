import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMAGE_SIZE_SNIFF_BYTES, imageTypeOf, readImageSize } from '../../src/protocol/index.js';
import * as sample from './image-samples.js';

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Where the baseline SOF marker starts. */
function sofOffset(file: Uint8Array): number {
  return file.findIndex((b, i) => b === 0xff && file[i + 1] === 0xc0);
}

describe('readImageSize', () => {
  const cases: [string, Uint8Array, string, number, number][] = [
    ['PNG', sample.png(640, 480), 'image/png', 640, 480],
    ['PNG with a 2^31-1 edge', sample.png(0x7fffffff, 1), 'image/png', 0x7fffffff, 1],
    ['GIF89a', sample.gif(320, 200), 'image/gif', 320, 200],
    ['GIF87a', sample.gif(65535, 7, '87a'), 'image/gif', 65535, 7],
    ['BMP (BITMAPINFOHEADER, bottom-up)', sample.bmp(1024, 768), 'image/bmp', 1024, 768],
    ['BMP top-down (negative height)', sample.bmp(300, -150), 'image/bmp', 300, 150],
    ['BMP (BITMAPCOREHEADER)', sample.bmpCore(33, 44), 'image/bmp', 33, 44],
    ['WebP lossy (VP8)', sample.webpLossy(400, 300), 'image/webp', 400, 300],
    ['WebP lossless (VP8L)', sample.webpLossless(16383, 1), 'image/webp', 16383, 1],
    ['WebP lossless (VP8L), 14-bit maximum', sample.webpLossless(16384, 16384), 'image/webp', 16384, 16384],
    ['WebP extended (VP8X)', sample.webpExtended(5000, 20000), 'image/webp', 5000, 20000],
    ['JPEG baseline (SOF0)', sample.jpeg(1920, 1080), 'image/jpeg', 1920, 1080],
    ['JPEG progressive (SOF2)', sample.jpeg(800, 600, { sof: 0xc2 }), 'image/jpeg', 800, 600],
    ['JPEG lossless (SOF3)', sample.jpeg(12, 34, { sof: 0xc3 }), 'image/jpeg', 12, 34],
    ['JPEG with an APP1 (EXIF) segment before SOF', sample.jpeg(4032, 3024, { app1Bytes: 20_000 }), 'image/jpeg', 4032, 3024],
    ['JPEG with 0xFF fill bytes before a marker', sample.jpeg(7, 9, { fillBytes: 5 }), 'image/jpeg', 7, 9],
  ];
  for (const [name, file, type, width, height] of cases) {
    it(`reads ${name}`, () => {
      assert.deepEqual(readImageSize(file), { type, width, height });
    });
  }

  it('skips DHT (C4), which sits in the SOF range, and reads the SOF after it', () => {
    // The sample places a DHT segment (0xFFC4) before the SOF: its "height/width" bytes are zeros.
    const file = sample.jpeg(99, 77);
    const dht = file.findIndex((b, i) => b === 0xff && file[i + 1] === 0xc4);
    assert.ok(dht > 0 && sofOffset(file) > dht);
    assert.deepEqual(readImageSize(file), { type: 'image/jpeg', width: 99, height: 77 });
  });

  it('steps over standalone markers (RSTn, TEM) between segments', () => {
    const file = sample.jpeg(21, 13);
    const sof = sofOffset(file);
    const patched = concat(file.subarray(0, sof), Uint8Array.from([0xff, 0xd0, 0xff, 0x01, 0xff, 0xd7]), file.subarray(sof));
    assert.deepEqual(readImageSize(patched), { type: 'image/jpeg', width: 21, height: 13 });
  });

  it('reads a JPEG whose SOF is within the sniff window, and not one whose SOF is beyond it', () => {
    const near = sample.jpeg(10, 20, { app1Bytes: 60_000 });
    assert.deepEqual(readImageSize(near.subarray(0, IMAGE_SIZE_SNIFF_BYTES)), { type: 'image/jpeg', width: 10, height: 20 });
    // Two 65 KB APP1 segments push the SOF past 64 KiB: a prefix cannot tell, the whole file can.
    const far = sample.jpeg(10, 20, { app1Bytes: 65_000, app1Count: 2 });
    assert.equal(readImageSize(far.subarray(0, IMAGE_SIZE_SNIFF_BYTES)), undefined);
    assert.deepEqual(readImageSize(far), { type: 'image/jpeg', width: 10, height: 20 });
  });

  it('reads from a subarray with a non-zero byteOffset', () => {
    const padded = concat(new Uint8Array(13), sample.png(3, 4));
    assert.deepEqual(readImageSize(padded.subarray(13)), { type: 'image/png', width: 3, height: 4 });
  });

  describe('returns undefined', () => {
    const full: Record<string, Uint8Array> = {
      png: sample.png(10, 10),
      gif: sample.gif(10, 10),
      bmp: sample.bmp(10, 10),
      bmpCore: sample.bmpCore(10, 10),
      webpLossy: sample.webpLossy(10, 10),
      webpLossless: sample.webpLossless(10, 10),
      webpExtended: sample.webpExtended(10, 10),
      jpeg: sample.jpeg(10, 10),
    };
    // Where each format's size ends: any shorter prefix must not produce a size.
    const needed: Record<string, number> = {
      png: 24, gif: 10, bmp: 26, bmpCore: 22, webpLossy: 30, webpLossless: 25, webpExtended: 30,
      jpeg: sofOffset(sample.jpeg(10, 10)) + 9, // FF C0, length, precision, height, width
    };
    for (const [name, file] of Object.entries(full)) {
      it(`for every truncation of ${name} before its size fields`, () => {
        for (let length = 0; length < needed[name]!; length++) {
          assert.equal(readImageSize(file.subarray(0, length)), undefined, `${name} cut at ${length}`);
        }
        assert.notEqual(readImageSize(file.subarray(0, needed[name]!)), undefined, `${name} at ${needed[name]}`);
      });
    }

    it('for empty input, text, SVG, PDF and random bytes', () => {
      assert.equal(readImageSize(new Uint8Array(0)), undefined);
      assert.equal(readImageSize(new TextEncoder().encode('hello world, not an image')), undefined);
      assert.equal(readImageSize(sample.svg()), undefined);
      assert.equal(readImageSize(new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj')), undefined);
      let seed = 42;
      for (let n = 0; n < 200; n++) {
        const noise = Uint8Array.from({ length: 64 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
        const result = readImageSize(noise);
        assert.ok(result === undefined || (result.width > 0 && result.height > 0));
      }
    });

    it('for zero width or height', () => {
      assert.equal(readImageSize(sample.png(0, 10)), undefined);
      assert.equal(readImageSize(sample.gif(10, 0)), undefined);
      assert.equal(readImageSize(sample.bmp(0, 5)), undefined);
      assert.equal(readImageSize(sample.webpLossy(0, 5)), undefined);
      assert.equal(readImageSize(sample.jpeg(5, 0)), undefined); // height 0 = defined later by DNL
    });

    it('for a PNG whose first chunk is not IHDR, and a negative-width BMP', () => {
      const file = sample.png(10, 10);
      file.set([0x49, 0x44, 0x41, 0x54], 12); // "IDAT"
      assert.equal(readImageSize(file), undefined);
      assert.equal(readImageSize(sample.bmp(-10, 10)), undefined);
    });

    it('for a VP8 inter frame, a bad VP8 start code, a bad VP8L signature, an unknown RIFF chunk', () => {
      const inter = sample.webpLossy(10, 10);
      inter[20] = inter[20]! | 1;
      assert.equal(readImageSize(inter), undefined);
      const badStart = sample.webpLossy(10, 10);
      badStart[23] = 0;
      assert.equal(readImageSize(badStart), undefined);
      const badSig = sample.webpLossless(10, 10);
      badSig[20] = 0x2e;
      assert.equal(readImageSize(badSig), undefined);
      const alph = sample.webpExtended(10, 10);
      alph.set([0x41, 0x4c, 0x50, 0x48], 12); // "ALPH" where VP8/VP8L/VP8X belongs
      assert.equal(readImageSize(alph), undefined);
    });

    it('for a JPEG that reaches SOS or EOI without a frame header, or has a bad segment length', () => {
      assert.equal(readImageSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 2, 3, 4, 5, 6])), undefined);
      assert.equal(readImageSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])), undefined);
      assert.equal(readImageSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0, 0, 0, 0])), undefined);
      assert.equal(readImageSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xff, 0xff])), undefined);
    });
  });
});

describe('imageTypeOf', () => {
  it('names the type from the signature alone, even when the header is too short for a size', () => {
    assert.equal(imageTypeOf(sample.png(4, 4)), 'image/png');
    assert.equal(imageTypeOf(sample.png(4, 4).subarray(0, 8)), 'image/png');
    assert.equal(imageTypeOf(sample.jpeg(4, 4)), 'image/jpeg');
    assert.equal(imageTypeOf(Uint8Array.from([0xff, 0xd8])), 'image/jpeg');
    assert.equal(imageTypeOf(sample.gif(4, 4)), 'image/gif');
    assert.equal(imageTypeOf(sample.gif(4, 4, '87a')), 'image/gif');
    assert.equal(imageTypeOf(sample.bmp(4, 4)), 'image/bmp');
    assert.equal(imageTypeOf(sample.webpLossy(4, 4)), 'image/webp');
    assert.equal(imageTypeOf(sample.webpExtended(4, 4).subarray(0, 12)), 'image/webp');
  });

  it('is undefined for other files, for an empty one and for a RIFF that is not WebP', () => {
    assert.equal(imageTypeOf(new TextEncoder().encode('%PDF-1.7')), undefined);
    assert.equal(imageTypeOf(new Uint8Array()), undefined);
    const wave = sample.webpLossy(4, 4);
    wave.set(new TextEncoder().encode('WAVE'), 8);
    assert.equal(imageTypeOf(wave), undefined);
    assert.equal(imageTypeOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47])), undefined);
  });
});
