import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEDIA_TTL_MS, MEDIA_URL_TTL_MS, type SignedMediaUrl, type UploadResult } from '../../src/protocol/index.js';
import * as sample from '../protocol/image-samples.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';
import { mediaHeaders, patternChunk, sha256, upload, uploadOk } from './media-helpers.js';

const OTHER = {
  id: 'other',
  restKey: 'k',
  restSecret: 's',
  tokenSecret: 'other-app-token-secret-0123456789abcdef',
  allowedOrigins: ['https://other.example'],
};

describe('GET /api/media/:mediaId', () => {
  const clock = manualClock(Date.UTC(2031, 0, 1));
  let t: TestServer;
  let headers: Record<string, string>;
  const bytes = patternChunk(0, 100_000);
  let file: UploadResult;
  let png: UploadResult;
  const pngBytes = sample.png(64, 32);
  before(async () => {
    t = await startTestServer({ now: clock.now, config: { apps: [OTHER] } });
    headers = mediaHeaders(await t.token('bob'));
    file = await uploadOk(t, bytes, 'application/pdf');
    png = await uploadOk(t, pngBytes, 'image/png');
  });
  after(() => t.close());

  const get = (id: string, extra: Record<string, string> = {}, query = '') =>
    fetch(`${t.url}/api/media/${id}${query}`, { headers: { ...headers, ...extra } });

  it('returns the same bytes, with length, ETag and caching headers', async () => {
    const response = await get(file.mediaId);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    assert.equal(response.headers.get('content-length'), '100000');
    assert.equal(response.headers.get('etag'), `"${sha256(bytes)}"`);
    assert.equal(response.headers.get('accept-ranges'), 'bytes');
    assert.equal(response.headers.get('cache-control'), `private, max-age=${MEDIA_TTL_MS / 1000}, immutable`);
    assert.equal(response.headers.get('last-modified'), new Date(file.uploadedAt).toUTCString());
  });

  it('serves a PNG inline as image/png, with nosniff, a CSP sandbox and CORP cross-origin', async () => {
    const response = await get(png.mediaId, {}, '?name=cat.png');
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), pngBytes);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('content-disposition'), `inline; filename="cat.png"; filename*=UTF-8''cat.png`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-security-policy'), "sandbox; default-src 'none'");
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  it('never serves SVG or HTML inline: octet-stream attachments with an RFC 6266 filename*', async () => {
    const svg = await uploadOk(t, sample.svg(), 'image/svg+xml');
    let response = await get(svg.mediaId);
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="${svg.mediaId}"; filename*=UTF-8''${svg.mediaId}`);
    assert.equal(response.headers.get('content-security-policy'), "sandbox; default-src 'none'");
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');

    const html = await uploadOk(t, '<!doctype html><script>alert(document.cookie)</script>', 'text/html');
    const name = 'résumé 📄 "final" (1).html';
    response = await get(html.mediaId, {}, `?name=${encodeURIComponent(name)}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    const disposition = response.headers.get('content-disposition')!;
    assert.equal(
      disposition,
      `attachment; filename="r_sum_ _ _final_ (1).html"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%93%84%20%22final%22%20%281%29.html`,
    );
    assert.equal(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!), name);
    // The header stays plain ASCII: nothing a client could mis-decode.
    assert.match(disposition, /^[\x20-\x7e]+$/);
  });

  it('refuses a display name with control or bidi characters', async () => {
    for (const name of ['a\nb.txt', 'photo\u202Egpj.exe', '', 'x'.repeat(256)]) {
      const response = await get(file.mediaId, {}, `?name=${encodeURIComponent(name)}`);
      assert.equal(response.status, 400, JSON.stringify(name));
      assert.equal(((await response.json()) as { reason: string }).reason, 'INVALID_FILE_NAME');
    }
  });

  it('answers a single Range with 206 and Content-Range', async () => {
    const cases: [string, number, number][] = [
      ['bytes=10-19', 10, 19],
      ['bytes=99990-', 99_990, 99_999],
      ['bytes=-5', 99_995, 99_999],
      ['bytes=0-0', 0, 0],
      ['bytes=99000-200000', 99_000, 99_999], // an end past the file is clamped
      ['bytes=-500000', 0, 99_999], // a suffix longer than the file is the whole file
    ];
    for (const [range, start, end] of cases) {
      const response = await get(file.mediaId, { range });
      assert.equal(response.status, 206, range);
      assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/100000`, range);
      assert.equal(response.headers.get('content-length'), String(end - start + 1), range);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes.subarray(start, end + 1), range);
    }
  });

  it('answers an unsatisfiable range with 416 and ignores malformed or multiple ranges', async () => {
    for (const range of ['bytes=100000-', 'bytes=200000-300000', 'bytes=-0']) {
      const response = await get(file.mediaId, { range });
      assert.equal(response.status, 416, range);
      assert.equal(response.headers.get('content-range'), 'bytes */100000', range);
      assert.equal(((await response.json()) as { reason: string }).reason, 'INVALID_ARGUMENT');
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=5-2', 'bytes=abc']) {
      const response = await get(file.mediaId, { range });
      assert.equal(response.status, 200, range);
      assert.equal((await response.arrayBuffer()).byteLength, 100_000, range);
    }
  });

  it('honours If-Range: the range for the current ETag, the whole file for another', async () => {
    const etag = `"${sha256(bytes)}"`;
    let response = await get(file.mediaId, { range: 'bytes=0-9', 'if-range': etag });
    assert.equal(response.status, 206);
    await response.arrayBuffer();
    response = await get(file.mediaId, { range: 'bytes=0-9', 'if-range': '"stale"' });
    assert.equal(response.status, 200);
    assert.equal((await response.arrayBuffer()).byteLength, 100_000);
  });

  it('answers If-None-Match with the ETag with 304 and no body', async () => {
    const etag = (await get(file.mediaId)).headers.get('etag')!;
    for (const value of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get(file.mediaId, { 'if-none-match': value });
      assert.equal(response.status, 304, value);
      assert.equal(response.headers.get('etag'), etag);
      assert.equal((await response.arrayBuffer()).byteLength, 0);
    }
    const changed = await get(file.mediaId, { 'if-none-match': '"something-else"' });
    assert.equal(changed.status, 200);
    await changed.arrayBuffer();
  });

  it('HEAD gives the headers without the body', async () => {
    const response = await fetch(`${t.url}/api/media/${file.mediaId}`, { method: 'HEAD', headers });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), '100000');
    assert.equal(response.headers.get('etag'), `"${sha256(bytes)}"`);
    assert.equal((await response.arrayBuffer()).byteLength, 0);
  });

  it('answers 400 INVALID_MEDIA_ID, 404 MEDIA_NOT_FOUND, and hides other apps’ objects', async () => {
    let response = await get('not-an-id');
    assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [400, 'INVALID_MEDIA_ID']);
    response = await get('A'.repeat(22));
    assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [404, 'MEDIA_NOT_FOUND']);
    // Bob of app "other" cannot read demo's object, and demo cannot read other's.
    const otherToken = await t.token('bob', { appId: 'other', secret: OTHER.tokenSecret });
    response = await fetch(`${t.url}/api/media/${file.mediaId}`, { headers: mediaHeaders(otherToken, 'other') });
    assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [404, 'MEDIA_NOT_FOUND']);
    const theirs = await upload(t, 'theirs', { headers: mediaHeaders(otherToken, 'other') });
    response = await get(theirs.body.mediaId);
    assert.equal(response.status, 404);
    await response.arrayBuffer();
  });

  it('requires credentials: no token is 401', async () => {
    const response = await fetch(`${t.url}/api/media/${file.mediaId}`, { headers: { 'x-rtm-app-id': 'demo' } });
    assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [401, 'INVALID_TOKEN']);
  });

  it('/info answers the MediaInfo', async () => {
    const response = await fetch(`${t.url}/api/media/${png.mediaId}/info`, { headers });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), png);
    assert.deepEqual(png, {
      mediaId: png.mediaId,
      size: pngBytes.length,
      contentType: 'image/png',
      width: 64,
      height: 32,
      uploadedAt: clock.now(),
      expiresAt: clock.now() + MEDIA_TTL_MS,
    });
    const missing = await fetch(`${t.url}/api/media/${'B'.repeat(22)}/info`, { headers });
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  describe('signed URLs', () => {
    const sign = async (id: string, query = ''): Promise<SignedMediaUrl> => {
      const response = await fetch(`${t.url}/api/media/${id}/url${query}`, { method: 'POST', headers });
      assert.equal(response.status, 200);
      return (await response.json()) as SignedMediaUrl;
    };

    it('work without headers, are absolute, and last MEDIA_URL_TTL_MS', async () => {
      const signed = await sign(png.mediaId, '?name=cat.png');
      assert.equal(signed.expiresAt, clock.now() + MEDIA_URL_TTL_MS);
      const url = new URL(signed.url);
      assert.equal(url.origin, t.url);
      assert.equal(url.pathname, `/api/media/${png.mediaId}`);
      assert.deepEqual([...url.searchParams.keys()], ['appId', 'exp', 'sig', 'name']);
      const response = await fetch(signed.url);
      assert.equal(response.status, 200);
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), pngBytes);
      assert.equal(response.headers.get('content-disposition'), `inline; filename="cat.png"; filename*=UTF-8''cat.png`);
    });

    it('refuse a tampered signature, expiry, id or app with 403 INVALID_TOKEN', async () => {
      const signed = new URL((await sign(file.mediaId)).url);
      const tamper = (key: string, value: string) => {
        const url = new URL(signed);
        url.searchParams.set(key, value);
        return url;
      };
      const sig = signed.searchParams.get('sig')!;
      const variants = [
        tamper('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)),
        tamper('sig', ''),
        tamper('exp', String(Number(signed.searchParams.get('exp')) + 60_000)),
        tamper('exp', 'soon'),
        new URL(signed.href.replace(file.mediaId, png.mediaId)),
      ];
      const withoutSig = new URL(signed);
      withoutSig.searchParams.delete('sig');
      variants.push(withoutSig);
      for (const url of variants) {
        const response = await fetch(url);
        assert.equal(response.status, 403, url.search);
        assert.equal(((await response.json()) as { reason: string }).reason, 'INVALID_TOKEN', url.search);
      }
      // Signed for demo, presented as the other app: that app's key does not match.
      const response = await fetch(tamper('appId', 'other'));
      assert.equal(response.status, 403);
      await response.arrayBuffer();
    });

    it('refuse an expired URL with 403 TOKEN_EXPIRED', async () => {
      const signed = await sign(file.mediaId);
      clock.advance(MEDIA_URL_TTL_MS);
      try {
        const response = await fetch(signed.url);
        assert.equal(response.status, 403);
        assert.equal(((await response.json()) as { reason: string }).reason, 'TOKEN_EXPIRED');
      } finally {
        clock.advance(-MEDIA_URL_TTL_MS);
      }
    });

    it('never outlive the object', async () => {
      clock.advance(MEDIA_TTL_MS - 60_000);
      try {
        const response = await fetch(`${t.url}/api/media/${file.mediaId}/url`, { method: 'POST', headers: mediaHeaders(await t.token('bob')) });
        const signed = (await response.json()) as SignedMediaUrl;
        assert.equal(signed.expiresAt, file.expiresAt);
        assert.equal(new URL(signed.url).searchParams.get('exp'), String(file.expiresAt));
      } finally {
        clock.advance(-(MEDIA_TTL_MS - 60_000));
      }
    });

    it('refuse names and ids like downloads do', async () => {
      let response = await fetch(`${t.url}/api/media/${file.mediaId}/url?name=${encodeURIComponent('a\u0000b')}`, { method: 'POST', headers });
      assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [400, 'INVALID_FILE_NAME']);
      response = await fetch(`${t.url}/api/media/${'C'.repeat(22)}/url`, { method: 'POST', headers });
      assert.deepEqual([response.status, ((await response.json()) as { reason: string }).reason], [404, 'MEDIA_NOT_FOUND']);
    });
  });

  describe('CORS', () => {
    it('lets an allowed page send the media headers and read the transfer headers', async () => {
      const preflight = await fetch(`${t.url}/api/media`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://other.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-rtm-app-id',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://other.example');
      const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase().split(',').map((h) => h.trim());
      for (const header of ['authorization', 'content-type', 'x-rtm-app-id', 'range']) assert.ok(allowed.includes(header), header);
      // A resumable upload's PATCH and its tus headers.
      const tusPreflight = await fetch(`${t.url}/api/media/uploads/abc`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://other.example',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization,content-type,x-rtm-app-id,tus-resumable,upload-offset',
        },
      });
      assert.equal(tusPreflight.status, 204);
      assert.ok(tusPreflight.headers.get('access-control-allow-methods')!.includes('PATCH'));
      const tusAllowed = tusPreflight.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const header of ['tus-resumable', 'upload-length', 'upload-metadata', 'upload-offset']) assert.ok(tusAllowed.includes(header), header);

      const otherToken = await t.token('bob', { appId: 'other', secret: OTHER.tokenSecret });
      const mine = await upload(t, 'x', { headers: { ...mediaHeaders(otherToken, 'other'), origin: 'https://other.example' } });
      const response = await fetch(`${t.url}/api/media/${mine.body.mediaId}`, {
        headers: { ...mediaHeaders(otherToken, 'other'), origin: 'https://other.example' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://other.example');
      assert.deepEqual(
        response.headers.get('access-control-expose-headers')!.split(',').map((h) => h.trim().toLowerCase()),
        ['content-length', 'content-range', 'etag', 'content-disposition', 'accept-ranges', 'location', 'upload-offset', 'upload-length', 'tus-resumable'],
      );
      await response.arrayBuffer();
    });
  });
});

describe('signed URLs behind a proxy', () => {
  it('use X-Forwarded-Proto/-Host only when the proxy is trusted', async () => {
    for (const trustProxy of [false, true]) {
      const t = await startTestServer({ trustProxy });
      try {
        const headers = mediaHeaders(await t.token('alice'));
        const { mediaId } = await uploadOk(t, 'x');
        const response = await fetch(`${t.url}/api/media/${mediaId}/url`, {
          method: 'POST',
          headers: { ...headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' },
        });
        const { url } = (await response.json()) as SignedMediaUrl;
        assert.equal(new URL(url).origin, trustProxy ? 'https://chat.example.com' : t.url);
      } finally {
        await t.close();
      }
    }
  });
});
