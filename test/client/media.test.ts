import { expect } from '@open-wc/testing';
import {
  IMAGE_SIZE_SNIFF_BYTES,
  MAX_CONCURRENT_TRANSFERS,
  MAX_MEDIA_BYTES,
  MAX_MESSAGE_BYTES,
  THUMBNAIL_MAX_EDGE_PX,
  THUMBNAIL_TARGET_BYTES,
  RtmError,
  readImageSize,
} from '../../src/protocol/index.js';
import {
  createThumbnail,
  type ImageThumbnail,
  type RtmAudioMessage,
  type RtmFileMessage,
  type RtmImageMessage,
  type RtmMessage,
  type RtmVideoMessage,
} from '../../src/client/index.js';
import { loggedInClient, logoutAll, newClient, record, rejectionOf, uniqueId, waitFor } from './helpers.js';
import {
  decodedSize,
  jpegWithFarFrameHeader,
  noiseImage,
  randomFile,
  recordedVideo,
  sha256,
  smallPng,
  tapXhr,
  toneWav,
  type XhrTap,
} from './media-helpers.js';

const MB = 1024 * 1024;

/** An upload is two requests: it is created (a tus POST), then its bytes go (one PATCH while nothing breaks). */
const REQUESTS_PER_UPLOAD = 2;

describe('RtmClient media', function () {
  this.timeout(120_000);
  let tap: XhrTap | undefined;

  afterEach(async () => {
    tap?.restore();
    tap = undefined;
    await logoutAll();
  });

  describe('validation before upload', () => {
    it('refuses empty, oversized and badly named files without a request', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      const empty = await rejectionOf(alice.createMediaMessageByUploading(new Blob([]), { messageType: 'FILE', fileName: 'a' }));
      expect(empty).to.be.instanceOf(RtmError);
      expect(empty.reason).to.equal('MEDIA_EMPTY');
      const huge = new Blob([new Uint8Array(MAX_MEDIA_BYTES + 1)]);
      expect((await rejectionOf(alice.createMediaMessageByUploading(huge, { messageType: 'FILE', fileName: 'big' }))).reason).to.equal(
        'MEDIA_TOO_LARGE',
      );
      const badName = await rejectionOf(alice.createMediaMessageByUploading(new Blob(['x']), { messageType: 'FILE', fileName: 'a\u202Egpj.exe' }));
      expect(badName.reason).to.equal('INVALID_FILE_NAME');
      const badType = await rejectionOf(alice.createMediaMessageByUploading(new Blob(['x']), { messageType: 'TEXT' as 'FILE' }));
      expect(badType.reason).to.equal('INVALID_ARGUMENT');
      expect(tap.sent).to.equal(0);
    });

    it('refuses a message over 32 KB (a 40 KB description) before any upload', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      const progress: unknown[] = [];
      const error = await rejectionOf(
        alice.createMediaMessageByUploading(
          await smallPng(),
          { messageType: 'IMAGE', fileName: 'p.png', description: 'd'.repeat(40 * 1024) },
          { onOperationProgress: (p) => progress.push(p) },
        ),
      );
      expect(error.reason).to.equal('MESSAGE_TOO_LARGE');
      // A thumbnail of the caller's own counts too.
      const thumbnailError = await rejectionOf(
        alice.createMediaMessageByUploading(new Blob(['%PDF']), {
          messageType: 'FILE',
          fileName: 'doc.pdf',
          thumbnail: new Uint8Array(MAX_MESSAGE_BYTES),
        }),
      );
      expect(thumbnailError.reason).to.equal('MESSAGE_TOO_LARGE');
      expect(tap.sent).to.equal(0);
      expect(progress).to.deep.equal([]);
    });

    it('needs a login', async () => {
      const client = newClient();
      const error = await rejectionOf(client.createMediaMessageByUploading(new Blob(['x']), { messageType: 'FILE' }));
      expect(error.reason).to.equal('NOT_LOGGED_IN');
      expect((await rejectionOf(client.downloadMedia('A'.repeat(22)))).reason).to.equal('NOT_LOGGED_IN');
    });
  });

  describe('upload and download', () => {
    it('uploads a few MB with progress up to the total, and downloads the same bytes with progress', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const file = randomFile(3 * MB + 17, 'data.bin');
      const up: { currentSize: number; totalSize: number }[] = [];
      const message = await alice.createMediaMessageByUploading(
        file,
        { messageType: 'FILE' },
        { onOperationProgress: (p) => up.push(p) },
      );
      expect(message).to.deep.include({ messageType: 'FILE', size: file.size, fileName: 'data.bin', mimeType: 'application/octet-stream' });
      expect(message.mediaId).to.match(/^[A-Za-z0-9_-]{22,64}$/);
      expect(up[0]).to.deep.equal({ currentSize: 0, totalSize: file.size });
      expect(up.at(-1)).to.deep.equal({ currentSize: file.size, totalSize: file.size });
      expect(up.every((p, i) => i === 0 || p.currentSize >= up[i - 1]!.currentSize)).to.equal(true);

      const down: { currentSize: number; totalSize: number }[] = [];
      const blob = await alice.downloadMedia(message.mediaId, { onOperationProgress: (p) => down.push(p) });
      expect(blob.size).to.equal(file.size);
      expect(await sha256(blob)).to.equal(await sha256(file));
      expect(down.at(-1)).to.deep.equal({ currentSize: file.size, totalSize: file.size });
      expect(down.every((p) => p.totalSize === file.size)).to.equal(true);

      const info = await alice.getMediaInfo(message.mediaId);
      expect(info).to.deep.include({ mediaId: message.mediaId, size: file.size });
      const url = await alice.getMediaUrl(message.mediaId);
      const viaUrl = await fetch(url);
      expect(viaUrl.ok).to.equal(true);
      expect(await sha256(await viaUrl.blob())).to.equal(await sha256(file));
      const named = await fetch(await alice.getMediaUrl(message.mediaId, 'report é.bin'));
      expect(named.headers.get('content-disposition')).to.contain("filename*=UTF-8''report%20%C3%A9.bin");
      expect((await rejectionOf(alice.getMediaUrl(message.mediaId, ''))).reason).to.equal('INVALID_FILE_NAME');
    });

    it('downloads what another user uploaded; unknown and malformed ids are refused', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const bob = await loggedInClient(uniqueId('bob'));
      const file = randomFile(1000, 'notes.txt', 'text/plain');
      const message = await alice.createMediaMessageByUploading(file, { messageType: 'FILE' });
      expect(await sha256(await bob.downloadMedia(message.mediaId))).to.equal(await sha256(file));
      expect((await rejectionOf(bob.downloadMedia('A'.repeat(22)))).reason).to.equal('MEDIA_NOT_FOUND');
      expect((await rejectionOf(bob.downloadMedia('../etc/passwd'))).reason).to.equal('INVALID_MEDIA_ID');
      expect((await rejectionOf(bob.getMediaInfo('A'.repeat(22)))).reason).to.equal('MEDIA_NOT_FOUND');
    });

    it('measures a 30 MB upload on loopback', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const file = randomFile(MAX_MEDIA_BYTES, 'thirty.bin');
      const started = performance.now();
      const message = await alice.createMediaMessageByUploading(file, { messageType: 'FILE' });
      const ms = performance.now() - started;
      console.log(`30 MB upload: ${ms.toFixed(0)} ms, ${((MAX_MEDIA_BYTES / MB / ms) * 1000).toFixed(0)} MB/s`);
      const downStarted = performance.now();
      const blob = await alice.downloadMedia(message.mediaId);
      const downMs = performance.now() - downStarted;
      console.log(`30 MB download: ${downMs.toFixed(0)} ms, ${((MAX_MEDIA_BYTES / MB / downMs) * 1000).toFixed(0)} MB/s`);
      expect(blob.size).to.equal(MAX_MEDIA_BYTES);
    });
  });

  describe('the transfer queue', () => {
    it(`runs 12 uploads at most ${MAX_CONCURRENT_TRANSFERS} at a time, in order, and all complete`, async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      const started: number[] = [];
      const uploads = Array.from({ length: 12 }, (_, i) =>
        alice.createMediaMessageByUploading(
          randomFile(1 * MB, `f${i}.bin`),
          { messageType: 'FILE' },
          { onOperationProgress: (p) => p.currentSize === 0 && started.push(i) },
        ),
      );
      const messages = await Promise.all(uploads);
      expect(tap.maxInFlight).to.equal(MAX_CONCURRENT_TRANSFERS);
      expect(tap.sent).to.equal(12 * REQUESTS_PER_UPLOAD);
      expect(started).to.deep.equal([...Array(12).keys()]);
      expect(new Set(messages.map((m) => m.mediaId)).size).to.equal(12);
      expect(messages.map((m) => m.fileName)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `f${i}.bin`));
    });

    it('counts downloads and uploads together', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const uploaded = await alice.createMediaMessageByUploading(randomFile(2 * MB), { messageType: 'FILE' });
      tap = tapXhr();
      let downloadsEnded = 0;
      let endedWhenUploadStarted: number | undefined;
      const downloads = Array.from({ length: 9 }, () =>
        alice.downloadMedia(uploaded.mediaId, {
          onOperationProgress: (p) => p.totalSize > 0 && p.currentSize === p.totalSize && downloadsEnded++,
        }),
      );
      const upload = alice.createMediaMessageByUploading(
        randomFile(1000),
        { messageType: 'FILE' },
        { onOperationProgress: () => (endedWhenUploadStarted ??= downloadsEnded) },
      );
      // The upload waits for a download to end before it sends anything (checked when it starts,
      // not by polling: a local 2 MB download may end between two polls).
      await Promise.all([...downloads, upload]);
      expect(endedWhenUploadStarted).to.be.at.least(1);
      expect(tap.sent).to.equal(REQUESTS_PER_UPLOAD);
    });

    it('cancelling a waiting upload takes it out of the line: it never starts', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      const controller = new AbortController();
      let lastStarted = false;
      let viaIdStarted = false;
      let viaId = 0;
      const uploads = Array.from({ length: MAX_CONCURRENT_TRANSFERS }, (_, i) =>
        alice.createMediaMessageByUploading(randomFile(2 * MB, `f${i}.bin`), { messageType: 'FILE' }),
      );
      const byId = alice.createMediaMessageByUploading(
        randomFile(1000),
        { messageType: 'FILE' },
        { onRequestId: (id) => (viaId = id), onOperationProgress: () => (viaIdStarted = true) },
      );
      const last = alice.createMediaMessageByUploading(
        randomFile(1000),
        { messageType: 'FILE' },
        { cancelSignal: controller.signal, onOperationProgress: () => (lastStarted = true) },
      );
      // Cancelled the moment the ninth request goes out, before any of the nine can end and free a
      // slot (an upload ends after its second request; a 2 MB one on loopback may take less time
      // than one poll).
      const cancelled = new Promise<void>((resolve, reject) => {
        tap!.onSend = (sent) => {
          if (sent !== MAX_CONCURRENT_TRANSFERS) return;
          queueMicrotask(() => {
            controller.abort();
            alice.cancelMediaUpload(viaId).then(resolve, reject);
          });
        };
      });
      await cancelled;
      expect((await rejectionOf(last)).reason).to.equal('CANCELLED');
      expect((await rejectionOf(byId)).reason).to.equal('CANCELLED');
      await Promise.all(uploads);
      expect(tap.sent).to.equal(MAX_CONCURRENT_TRANSFERS * REQUESTS_PER_UPLOAD);
      expect(lastStarted).to.equal(false);
      expect(viaIdStarted).to.equal(false);
      expect((await rejectionOf(alice.cancelMediaUpload(viaId))).reason).to.equal('NOTHING_TO_CANCEL');
    });
  });

  describe('cancelling', () => {
    it('aborts an upload in flight: CANCELLED, and the server never answered it', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      const controller = new AbortController();
      const upload = alice.createMediaMessageByUploading(
        randomFile(20 * MB),
        { messageType: 'FILE' },
        { cancelSignal: controller.signal, onOperationProgress: (p) => p.currentSize === 0 && setTimeout(() => controller.abort()) },
      );
      const error = await rejectionOf(upload);
      expect(error).to.be.instanceOf(RtmError);
      expect(error.reason).to.equal('CANCELLED');
      expect(tap.ended).to.deep.equal(['abort']);
    });

    it('aborts an upload in flight by request id', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      tap = tapXhr();
      let requestId = 0;
      const upload = alice.createMediaMessageByUploading(
        randomFile(20 * MB),
        { messageType: 'FILE' },
        { onRequestId: (id) => (requestId = id), onOperationProgress: (p) => p.currentSize === 0 && setTimeout(() => alice.cancelMediaUpload(requestId)) },
      );
      expect(requestId).to.be.greaterThan(0);
      expect((await rejectionOf(upload)).reason).to.equal('CANCELLED');
      expect(tap.ended).to.deep.equal(['abort']);
      // A download id is not an upload id.
      expect((await rejectionOf(alice.cancelMediaDownload(requestId))).reason).to.equal('NOTHING_TO_CANCEL');
    });

    it('after completion: NOTHING_TO_CANCEL, and the message still works', async () => {
      const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const atBob = record(bob, 'MessageFromPeer');
      const controller = new AbortController();
      let requestId = 0;
      const message = await alice.createMediaMessageByUploading(
        randomFile(1000, 'a.bin'),
        { messageType: 'FILE' },
        { cancelSignal: controller.signal, onRequestId: (id) => (requestId = id) },
      );
      controller.abort();
      const error = await rejectionOf(alice.cancelMediaUpload(requestId));
      expect(error.reason).to.equal('NOTHING_TO_CANCEL');
      expect((await alice.getMediaInfo(message.mediaId)).size).to.equal(1000);
      await alice.sendMessageToPeer(message, bobId);
      await waitFor(() => atBob.length === 1, 'bob to get it');
      expect((atBob[0]![0] as RtmFileMessage).mediaId).to.equal(message.mediaId);
    });

    it('cancels a download in flight', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const uploaded = await alice.createMediaMessageByUploading(randomFile(20 * MB), { messageType: 'FILE' });
      const controller = new AbortController();
      const download = alice.downloadMedia(uploaded.mediaId, {
        cancelSignal: controller.signal,
        onOperationProgress: (p) => p.currentSize === 0 && controller.abort(),
      });
      expect((await rejectionOf(download)).reason).to.equal('CANCELLED');
    });

    it('logout cancels every transfer', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const uploads = Array.from({ length: 11 }, () => alice.createMediaMessageByUploading(randomFile(2 * MB), { messageType: 'FILE' }));
      await alice.logout();
      const reasons = await Promise.all(uploads.map((u) => rejectionOf(u).then((e) => e.reason)));
      expect(new Set(reasons)).to.deep.equal(new Set(['CANCELLED']));
    });
  });

  describe('images and thumbnails', () => {
    it('makes a thumbnail under the target for a 12-megapixel noise JPEG, keeping the aspect ratio', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const jpeg = await noiseImage(4000, 3000);
      // The longest the main thread stayed busy meanwhile: the gap between timer ticks.
      let longestGap = 0;
      let ticking = true;
      let lastTick = performance.now();
      const tick = () => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - lastTick);
        lastTick = now;
        if (ticking) setTimeout(tick);
      };
      setTimeout(tick);
      const t0 = performance.now();
      const thumbnail = await createThumbnail(jpeg);
      const ms = performance.now() - t0;
      ticking = false;
      console.log(
        `thumbnail of a 4000×3000 noise JPEG (${(jpeg.size / MB).toFixed(1)} MB): ${ms.toFixed(0)} ms → ` +
          `${thumbnail?.thumbnail.size} bytes ${thumbnail?.thumbnail.type} ${thumbnail?.thumbnailWidth}×${thumbnail?.thumbnailHeight}; ` +
          `longest main-thread gap ${longestGap.toFixed(1)} ms`,
      );
      expect(thumbnail).to.not.equal(undefined);
      expect(thumbnail!.thumbnail.size).to.be.at.most(THUMBNAIL_TARGET_BYTES);
      expect(Math.max(thumbnail!.thumbnailWidth, thumbnail!.thumbnailHeight)).to.be.at.most(THUMBNAIL_MAX_EDGE_PX);
      expect(thumbnail!.thumbnailWidth / thumbnail!.thumbnailHeight).to.be.closeTo(4 / 3, 0.02);
      expect(await decodedSize(thumbnail!.thumbnail)).to.deep.equal({ width: thumbnail!.thumbnailWidth, height: thumbnail!.thumbnailHeight });

      const t1 = performance.now();
      const message = (await alice.createMediaMessageByUploading(jpeg, { messageType: 'IMAGE', fileName: 'noise.jpg' })) as RtmImageMessage;
      console.log(`createMediaMessageByUploading of it (thumbnail + upload in parallel): ${(performance.now() - t1).toFixed(0)} ms`);
      expect(message).to.deep.include({ messageType: 'IMAGE', width: 4000, height: 3000, mimeType: 'image/jpeg', size: jpeg.size });
      expect(message.thumbnail).to.be.instanceOf(Blob);
      expect(message.thumbnail!.size).to.be.at.most(THUMBNAIL_TARGET_BYTES);
      expect(message.thumbnailWidth / message.thumbnailHeight).to.be.closeTo(4 / 3, 0.02);
    });

    it('keeps the caller’s width, height and thumbnail', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const thumbnail = await smallPng(8, 6);
      const message = (await alice.createMediaMessageByUploading(await smallPng(64, 48), {
        messageType: 'IMAGE',
        fileName: 'p.png',
        width: 640,
        height: 480,
        thumbnail,
        thumbnailWidth: 8,
        thumbnailHeight: 6,
      })) as RtmImageMessage;
      expect(message).to.deep.include({ width: 640, height: 480, thumbnailWidth: 8, thumbnailHeight: 6, mimeType: 'image/png' });
      expect(await sha256(message.thumbnail!)).to.equal(await sha256(thumbnail));
    });

    it('reads the size by decoding when the header sniff finds none', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const jpeg = await jpegWithFarFrameHeader(900, 1200);
      expect(readImageSize(new Uint8Array(await jpeg.slice(0, IMAGE_SIZE_SNIFF_BYTES).arrayBuffer()))).to.equal(undefined);
      expect(await decodedSize(jpeg)).to.deep.equal({ width: 900, height: 1200 });
      const message = (await alice.createMediaMessageByUploading(jpeg, { messageType: 'IMAGE', fileName: 'far.jpg' })) as RtmImageMessage;
      expect(message).to.deep.include({ width: 900, height: 1200 });
      expect(message.thumbnailHeight).to.be.within(1, THUMBNAIL_MAX_EDGE_PX);
      expect(message.thumbnailWidth / message.thumbnailHeight).to.be.closeTo(3 / 4, 0.02);
      // With a thumbnail of the caller's own, the size still comes from decoding.
      const own = (await alice.createMediaMessageByUploading(jpeg, {
        messageType: 'IMAGE',
        fileName: 'far.jpg',
        thumbnail: await smallPng(3, 4),
      })) as RtmImageMessage;
      expect(own).to.deep.include({ width: 900, height: 1200 });
    });

    it('sends an image without a thumbnail when it cannot be decoded', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const notAnImage = new File([new Uint8Array([1, 2, 3, 4])], 'broken.png', { type: 'image/png' });
      const message = (await alice.createMediaMessageByUploading(notAnImage, { messageType: 'IMAGE' })) as RtmImageMessage;
      expect(message.thumbnail).to.equal(undefined);
      expect(message.width).to.equal(undefined);
      expect(message).to.deep.include({ fileName: 'broken.png', thumbnailWidth: 0, size: 4 });
    });

    it('fits the thumbnail into what is left of 32 KB', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const description = 'd'.repeat(MAX_MESSAGE_BYTES - 1500);
      const message = (await alice.createMediaMessageByUploading(await noiseImage(800, 600), {
        messageType: 'IMAGE',
        fileName: 'n.jpg',
        description,
      })) as RtmImageMessage;
      expect(message.description).to.equal(description);
      if (message.thumbnail) expect(message.thumbnail.size).to.be.below(1100);
    });
  });

  describe('video and voice messages', () => {
    it('makes a poster frame for a recorded WebM video and reads its duration and size', async () => {
      const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const atBob = record(bob, 'MessageFromPeer');
      const video = new File([await recordedVideo(1500, 640, 360)], 'clip.webm', { type: 'video/webm' });
      const posters: ImageThumbnail[] = [];
      const message = (await alice.createMediaMessageByUploading(
        video,
        { messageType: 'VIDEO' },
        { onThumbnail: (made) => posters.push(made) },
      )) as RtmVideoMessage;

      expect(message).to.deep.include({ messageType: 'VIDEO', fileName: 'clip.webm', mimeType: 'video/webm', width: 640, height: 360 });
      // MediaRecorder's WebM says Infinity until read to the end: the duration is the real one.
      expect(message.durationMs).to.be.within(1000, 3000);
      expect(message.thumbnail).to.be.instanceOf(Blob);
      expect(message.thumbnail!.type).to.match(/^image\/(webp|jpeg)$/);
      expect(message.thumbnail!.size).to.be.at.most(THUMBNAIL_TARGET_BYTES);
      const poster = await decodedSize(message.thumbnail!);
      expect(poster).to.deep.equal({ width: message.thumbnailWidth, height: message.thumbnailHeight });
      expect(Math.max(poster.width, poster.height)).to.be.at.most(THUMBNAIL_MAX_EDGE_PX);
      expect(poster.width / poster.height).to.be.closeTo(16 / 9, 0.03);
      // The local preview heard about it, with the video's own size.
      expect(posters).to.have.length(1);
      expect(posters[0]).to.deep.include({ width: 640, height: 360, thumbnailWidth: message.thumbnailWidth });

      await alice.sendMessageToPeer(message, bobId);
      await waitFor(() => atBob.length === 1, 'bob to get the video');
      const got = atBob[0]![0] as RtmVideoMessage;
      expect(got).to.deep.include({ messageType: 'VIDEO', durationMs: message.durationMs, width: 640, height: 360 });
      expect(await sha256(got.thumbnail!)).to.equal(await sha256(message.thumbnail!));
      expect(await sha256(await bob.downloadMedia(got.mediaId))).to.equal(await sha256(video));
    });

    it('keeps the caller’s duration and thumbnail of a video', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const thumbnail = await smallPng(16, 9);
      const message = (await alice.createMediaMessageByUploading(await recordedVideo(500, 320, 180), {
        messageType: 'VIDEO',
        fileName: 'v.webm',
        durationMs: 4321,
        thumbnail,
        thumbnailWidth: 16,
        thumbnailHeight: 9,
      })) as RtmVideoMessage;
      expect(message).to.deep.include({ durationMs: 4321, thumbnailWidth: 16, thumbnailHeight: 9 });
      expect(await sha256(message.thumbnail!)).to.equal(await sha256(thumbnail));
    });

    it('reads an audio file’s duration for a voice message', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const wav = toneWav(1500);
      const message = (await alice.createMediaMessageByUploading(wav, { messageType: 'AUDIO' })) as RtmAudioMessage;
      expect(message).to.deep.include({ messageType: 'AUDIO', fileName: 'tone.wav', mimeType: 'audio/wav', size: wav.size });
      expect(message.durationMs).to.be.closeTo(1500, 5);
      expect(message.thumbnail).to.equal(undefined);
      // A duration of the caller's own wins.
      const timed = (await alice.createMediaMessageByUploading(wav, { messageType: 'AUDIO', durationMs: 1499 })) as RtmAudioMessage;
      expect(timed.durationMs).to.equal(1499);
    });

    it('a video the browser cannot decode: sent without a poster given its duration, refused before upload without', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const garbage = randomFile(64 * 1024, 'x.mp4', 'video/mp4');
      tap = tapXhr();
      const error = await rejectionOf(alice.createMediaMessageByUploading(garbage, { messageType: 'VIDEO' }));
      expect(error).to.be.instanceOf(RtmError);
      expect(error.reason).to.equal('INVALID_MESSAGE');
      expect(error.message).to.contain('durationMs');
      expect(tap.sent).to.equal(0);
      const audioError = await rejectionOf(alice.createMediaMessageByUploading(garbage, { messageType: 'AUDIO' }));
      expect(audioError.reason).to.equal('INVALID_MESSAGE');
      expect(tap.sent).to.equal(0);

      const posters: ImageThumbnail[] = [];
      const message = (await alice.createMediaMessageByUploading(
        garbage,
        { messageType: 'VIDEO', durationMs: 2000 },
        { onThumbnail: (made) => posters.push(made) },
      )) as RtmVideoMessage;
      expect(message).to.deep.include({ messageType: 'VIDEO', durationMs: 2000, fileName: 'x.mp4', thumbnailWidth: 0, size: garbage.size });
      expect(message.thumbnail).to.equal(undefined);
      expect(message.width).to.equal(undefined);
      expect(posters).to.deep.equal([]);
      expect(tap.sent).to.equal(REQUESTS_PER_UPLOAD);
    });

    it('cancelling while the video is probed rejects with CANCELLED, not a missing duration', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const video = await recordedVideo(500, 320, 180);
      tap = tapXhr();
      const controller = new AbortController();
      const uploading = alice.createMediaMessageByUploading(video, { messageType: 'VIDEO' }, { cancelSignal: controller.signal });
      controller.abort();
      expect((await rejectionOf(uploading)).reason).to.equal('CANCELLED');
      expect(tap.sent).to.equal(0);
    });
  });

  describe('sending and receiving', () => {
    const received = (message: RtmMessage) => message as RtmImageMessage;

    it('delivers an image message alice → bob with the Agora shape', async () => {
      const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const atBob = record(bob, 'MessageFromPeer');
      const image = new File([await noiseImage(400, 300)], 'photo.jpg', { type: 'image/jpeg' });
      const message = (await alice.createMediaMessageByUploading(image, { messageType: 'IMAGE', description: 'a photo' })) as RtmImageMessage;

      const ack = await alice.sendMessageToPeer(message, bobId, { enableOfflineMessaging: true });
      expect(ack.hasPeerReceived).to.equal(true);

      await waitFor(() => atBob.length === 1, 'bob to get the image');
      const [got, from] = atBob[0]!;
      expect(from).to.equal(aliceId);
      const { thumbnail, ...fields } = received(got);
      const { thumbnail: sentThumbnail, ...sentFields } = message;
      expect(fields).to.deep.equal(sentFields);
      expect(fields).to.deep.include({ messageType: 'IMAGE', fileName: 'photo.jpg', size: image.size, width: 400, height: 300, description: 'a photo' });
      expect(thumbnail).to.be.instanceOf(Blob);
      expect(thumbnail!.type).to.match(/^image\/(webp|jpeg)$/);
      expect(await sha256(thumbnail!)).to.equal(await sha256(sentThumbnail!));
      expect(await decodedSize(thumbnail!)).to.deep.equal({ width: message.thumbnailWidth, height: message.thumbnailHeight });

      // History decodes it the same way.
      const history = await bob.getHistory({ peerId: aliceId });
      const { thumbnail: historyThumbnail, ...historyFields } = received(history.messages[0]!.message);
      expect(historyFields).to.deep.equal(sentFields);
      expect(historyThumbnail!.size).to.equal(sentThumbnail!.size);
    });

    it('delivers a file message in a channel', async () => {
      const [aliceId, bobId, name] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const [aliceChannel, bobChannel] = [alice.createChannel(name), bob.createChannel(name)];
      await aliceChannel.join();
      await bobChannel.join();
      const atBob = record(bobChannel, 'ChannelMessage');
      const file = new File(['hello, file'], 'hello.txt', { type: 'text/plain' });
      const message = await alice.createMediaMessageByUploading(file, { messageType: 'FILE' });
      await aliceChannel.sendMessage(message);
      await waitFor(() => atBob.length === 1, 'bob to get the file');
      const [got, from] = atBob[0]!;
      expect(from).to.equal(aliceId);
      expect(got).to.deep.equal({
        messageType: 'FILE',
        mediaId: message.mediaId,
        size: file.size,
        fileName: 'hello.txt',
        description: '',
        mimeType: 'text/plain',
        thumbnailWidth: 0,
        thumbnailHeight: 0,
      });
      expect(await (await bob.downloadMedia((got as RtmFileMessage).mediaId)).text()).to.equal('hello, file');
    });

    it('builds a message from an existing media id without uploading again', async () => {
      const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const atBob = record(bob, 'MessageFromPeer');
      const uploaded = await alice.createMediaMessageByUploading(new Blob(['x'.repeat(50)]), { messageType: 'FILE', fileName: 'x.txt' });
      tap = tapXhr();
      const again = alice.createMessage({
        messageType: 'FILE',
        mediaId: uploaded.mediaId,
        size: 50,
        fileName: 'renamed.txt',
        thumbnail: new Uint8Array((await (await smallPng(4, 4)).arrayBuffer())),
        thumbnailWidth: 4,
        thumbnailHeight: 4,
      });
      await alice.sendMessageToPeer(again, bobId);
      await waitFor(() => atBob.length === 1, 'bob to get it');
      expect(atBob[0]![0]).to.deep.include({ mediaId: uploaded.mediaId, fileName: 'renamed.txt', thumbnailWidth: 4 });
      expect(((atBob[0]![0] as RtmFileMessage).thumbnail)!.type).to.equal('image/png');
      expect(tap.sent).to.equal(0);

      expect(() => alice.createMessage({ messageType: 'IMAGE', mediaId: 'no/such', size: 1, fileName: 'a' })).to.throw(RtmError).with.property('reason', 'INVALID_MEDIA_ID');
      expect(() => alice.createMessage({ messageType: 'FILE', mediaId: uploaded.mediaId, size: 1, fileName: '' })).to.throw(RtmError).with.property('reason', 'INVALID_FILE_NAME');
    });

    it('accepts a Blob thumbnail made elsewhere (read before sending)', async () => {
      const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
      const alice = await loggedInClient(aliceId);
      const bob = await loggedInClient(bobId);
      const atBob = record(bob, 'MessageFromPeer');
      const uploaded = await alice.createMediaMessageByUploading(new Blob(['y']), { messageType: 'FILE', fileName: 'y.txt' });
      const thumbnail = await smallPng(5, 5);
      await alice.sendMessageToPeer({ ...uploaded, thumbnail, thumbnailWidth: 5, thumbnailHeight: 5 }, bobId);
      await waitFor(() => atBob.length === 1, 'bob to get it');
      expect(await sha256((atBob[0]![0] as RtmFileMessage).thumbnail!)).to.equal(await sha256(thumbnail));
    });

    it('the server refuses a message naming media that does not exist', async () => {
      const alice = await loggedInClient(uniqueId('alice'));
      const message = alice.createMessage({ messageType: 'FILE', mediaId: 'B'.repeat(22), size: 10, fileName: 'ghost.txt' });
      const error = await rejectionOf(alice.sendMessageToPeer(message, uniqueId('bob')));
      expect(error.reason).to.equal('MEDIA_NOT_FOUND');
    });
  });
});
