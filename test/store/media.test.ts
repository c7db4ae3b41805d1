import { expect } from '@open-wc/testing';
import type { ReadableAtom } from 'nanostores';
import { MAX_MEDIA_BYTES, MAX_MEDIA_DURATION_MS, RtmError, THUMBNAIL_MAX_EDGE_PX } from '../../src/protocol/index.js';
import type { RtmAudioMessage, RtmFileMessage, RtmImageMessage, RtmVideoMessage } from '../../src/client/index.js';
import {
  type ChatMessage,
  type TransferSnapshot,
} from '../../src/store/index.js';
import {
  loggedInClient,
  record,
  rejectionOf,
  startServer,
  stopServer,
  uniqueId,
  waitFor,
} from '../client/helpers.js';
import { collectEvents, sessionKit } from './helpers.js';
import { decodedSize, noiseImage, randomBytes, randomFile, recordedVideo, sha256, toneWav } from '../client/media-helpers.js';

const MB = 1024 * 1024;
const { mountedStores, startedSession, mount, cleanup } = sessionKit();

/** Every value a store takes from now on. */
function history<T>($store: ReadableAtom<T>): T[] {
  const values: T[] = [];
  mountedStores.push($store as ReadableAtom<unknown>);
  $store.subscribe((value) => values.push(value));
  return values;
}

const byId = (messages: readonly ChatMessage[], localId: string) => messages.find((m) => m.localId === localId);

/** What calling `send` threw (undefined when it returned). */
function thrownBy(send: () => unknown): RtmError | undefined {
  try {
    send();
  } catch (error) {
    return error as RtmError;
  }
  return undefined;
}

async function photo(width = 400, height = 300, name = 'photo.jpg'): Promise<File> {
  return new File([await noiseImage(width, height)], name, { type: 'image/jpeg' });
}

describe('ChatSession files', function () {
  this.timeout(60_000);

  afterEach(cleanup);

  it('sends each file as its own message: uploading, then sent with the media id', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const session = await startedSession(aliceId);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    const image = await photo();
    const text = new File(['some notes'], 'notes.txt', { type: 'text/plain' });

    const chats = session.sendFiles(key, [image, text]);

    expect(chats).to.have.length(2);
    expect($messages.get().map((m) => m.status)).to.deep.equal(['uploading', 'uploading']);
    expect(chats[0]).to.deep.include({ own: true, from: aliceId, status: 'uploading', conversation: key, text: undefined });
    expect(chats[0]!.attachment).to.deep.equal({ kind: 'image', fileName: 'photo.jpg', size: image.size, mimeType: 'image/jpeg' });
    expect(chats[1]!.attachment).to.deep.equal({ kind: 'file', fileName: 'notes.txt', size: text.size, mimeType: 'text/plain' });
    const imageStatuses = history(session.messagesOf(key));
    const imageTransfer = history(session.transferOf(chats[0]!.localId));

    await waitFor(() => $messages.get().every((m) => m.status === 'sent'), 'both to be sent');

    const [sentImage, sentFile] = [byId($messages.get(), chats[0]!.localId)!, byId($messages.get(), chats[1]!.localId)!];
    expect(sentImage.attachment!.mediaId).to.match(/^[A-Za-z0-9_-]{22,64}$/);
    expect(sentImage.attachment).to.deep.include({ kind: 'image', width: 400, height: 300 });
    expect(sentImage.attachment!.thumbnailWidth).to.be.within(1, THUMBNAIL_MAX_EDGE_PX);
    expect(sentImage.attachment!.thumbnailWidth! / sentImage.attachment!.thumbnailHeight!).to.be.closeTo(4 / 3, 0.03);
    expect(sentImage.attachment!.thumbnailUrl).to.match(/^data:image\/(webp|jpeg);base64,/);
    expect(sentImage.message).to.deep.include({ messageType: 'IMAGE', mediaId: sentImage.attachment!.mediaId });
    expect(sentImage.id).to.be.a('string');
    expect(sentFile.attachment).to.deep.include({ kind: 'file', fileName: 'notes.txt', size: text.size });
    expect(sentFile.attachment!.mediaId).to.be.a('string');

    // uploading → (local preview) → sending → sent, in that order.
    const statuses = imageStatuses.map((list) => byId(list, chats[0]!.localId)?.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).to.deep.equal(['uploading', 'sending', 'sent']);
    const preview = imageStatuses.map((list) => byId(list, chats[0]!.localId)).find((m) => m?.status === 'uploading' && m.attachment?.thumbnailUrl);
    expect(preview?.attachment?.mediaId).to.equal(undefined);
    expect(preview?.attachment?.thumbnailUrl).to.match(/^data:image\//);
    expect(imageTransfer.at(-1)).to.deep.equal({ direction: 'upload', state: 'done', currentSize: image.size, totalSize: image.size });
    expect(imageTransfer.map((t) => t?.state).filter((s, i, all) => s !== all[i - 1])).to.deep.equal(['queued', 'active', 'done']);

    await waitFor(() => atBob.length === 2, 'bob to get both');
    const types = atBob.map(([m]) => m.messageType).sort();
    expect(types).to.deep.equal(['FILE', 'IMAGE']);
    const bobImage = atBob.find(([m]) => m.messageType === 'IMAGE')![0] as RtmImageMessage;
    expect(bobImage).to.deep.include({ mediaId: sentImage.attachment!.mediaId, fileName: 'photo.jpg', width: 400, height: 300 });
    expect(atBob.every(([, , props]) => chats.some((c) => c.localId === props.clientMessageId))).to.equal(true);
  });

  it('sends files to a channel', async () => {
    const [aliceId, bobId, room] = [uniqueId('alice'), uniqueId('bob'), uniqueId('room')];
    const bob = await loggedInClient(bobId);
    const bobChannel = bob.createChannel(room);
    await bobChannel.join();
    const atBob = record(bobChannel, 'ChannelMessage');
    const session = await startedSession(aliceId);
    const key = session.conversationKey('channel', room);
    const $messages = mount(session.messagesOf(key));
    session.sendFiles(key, [new File(['x'.repeat(100)], 'x.txt', { type: 'text/plain' })]);
    await waitFor(() => $messages.get()[0]?.status === 'sent', 'the file to be sent');
    await waitFor(() => atBob.length === 1, 'bob to get it');
    expect((atBob[0]![0] as RtmFileMessage).mediaId).to.equal($messages.get()[0]!.attachment!.mediaId);
  });

  it('cancelUpload makes the message failed with CANCELLED; retry uploads again and sends', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const session = await startedSession(aliceId);
    const events = collectEvents(session);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    const file = randomFile(20 * MB, 'big.bin');

    const [chat] = session.sendFiles(key, [file]);
    const $transfer = session.transferOf(chat!.localId);
    await waitFor(() => $transfer.get()?.state === 'active', 'the upload to start');
    session.cancelUpload(key, chat!.localId);

    await waitFor(() => $messages.get()[0]?.status === 'failed', 'the message to fail');
    const failed = $messages.get()[0]!;
    expect(failed.error).to.be.instanceOf(RtmError);
    expect(failed.error!.reason).to.equal('CANCELLED');
    expect(failed.attachment!.mediaId).to.equal(undefined);
    expect($transfer.get()).to.deep.include({ direction: 'upload', state: 'cancelled' });
    expect($transfer.get()!.error!.reason).to.equal('CANCELLED');
    // Cancelling is the user's own doing: no error event.
    expect(events.filter((e) => e.type === 'error')).to.deep.equal([]);

    const retrying = session.retry(key, chat!.localId);
    expect($messages.get()[0]!.status).to.equal('uploading');
    expect($messages.get()[0]!.error).to.equal(undefined);
    const sent = await retrying;
    expect(sent.status).to.equal('sent');
    expect(sent.attachment!.mediaId).to.be.a('string');
    expect($transfer.get()).to.deep.equal({ direction: 'upload', state: 'done', currentSize: file.size, totalSize: file.size });
    // A finished upload has nothing left to cancel.
    session.cancelUpload(key, chat!.localId);
    expect($messages.get()[0]!.status).to.equal('sent');
  });

  it('validateFiles gives each file its error; sendFiles throws the first and adds nothing', async () => {
    const session = await startedSession(uniqueId('alice'));
    const key = session.conversationKey('peer', uniqueId('bob'));
    const $messages = mount(session.messagesOf(key));
    const files = [
      new File([], 'empty.txt'),
      new File([new Uint8Array(MAX_MEDIA_BYTES + 1)], 'huge.bin'),
      new File(['x'], 'bell\u0007.txt'),
      new File(['fine'], 'fine.txt'),
    ];
    expect(session.validateFiles(key, files).map((e) => e?.reason)).to.deep.equal([
      'MEDIA_EMPTY',
      'MEDIA_TOO_LARGE',
      'INVALID_FILE_NAME',
      undefined,
    ]);
    expect(session.validateFiles(session.conversationKey('peer', ' bad'), [files[3]!])[0]!.reason).to.equal('INVALID_USER_ID');
    let thrown: unknown;
    try {
      session.sendFiles(key, files.slice(1));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as RtmError).reason).to.equal('MEDIA_TOO_LARGE');
    expect($messages.get()).to.deep.equal([]);
  });

  it('shows received images with a data: thumbnail, live and from history', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const session = await startedSession(aliceId);
    const events = collectEvents(session);
    const bob = await loggedInClient(bobId);
    const message = (await bob.createMediaMessageByUploading(await photo(300, 400, 'tall.jpg'), {
      messageType: 'IMAGE',
      description: 'tall one',
    })) as RtmImageMessage;
    await bob.sendMessageToPeer(message, aliceId);

    const key = session.conversationKey('peer', bobId);
    await waitFor(() => events.some((e) => e.type === 'message'), 'the message event');
    const live = session.messagesOf(key).get()[0]!;
    expect(live).to.deep.include({ from: bobId, own: false, status: 'sent', text: undefined });
    expect(live.attachment).to.deep.include({
      kind: 'image',
      mediaId: message.mediaId,
      fileName: 'tall.jpg',
      width: 300,
      height: 400,
      description: 'tall one',
      mimeType: 'image/jpeg',
    });
    expect(live.attachment!.thumbnailUrl!.startsWith('data:')).to.equal(true);

    const fresh = await startedSession(aliceId);
    const $history = mount(fresh.messagesOf(key));
    await waitFor(() => $history.get().length === 1, 'history to load');
    expect($history.get()[0]!.attachment).to.deep.equal(live.attachment);
  });

  it('downloads with a transfer, cancels a download, and caches signed URLs', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const session = await startedSession(aliceId);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    const file = randomFile(4 * MB, 'four.bin');
    session.sendFiles(key, [file]);
    await waitFor(() => $messages.get()[0]?.status === 'sent', 'the upload');
    const mediaId = $messages.get()[0]!.attachment!.mediaId!;

    const download = session.download(mediaId);
    const states = history(download.transfer);
    const blob = await download.result;
    expect(await sha256(blob)).to.equal(await sha256(file));
    expect(download.transfer.get()).to.deep.equal({ direction: 'download', state: 'done', currentSize: file.size, totalSize: file.size });
    expect(states[0]!.state).to.equal('queued');
    expect(states.some((s: TransferSnapshot) => s.state === 'active' && s.totalSize === file.size)).to.equal(true);

    const cancelled = session.download(mediaId);
    cancelled.cancel();
    expect((await rejectionOf(cancelled.result)).reason).to.equal('CANCELLED');
    expect(cancelled.transfer.get().state).to.equal('cancelled');

    const missing = session.download('Z'.repeat(22));
    expect((await rejectionOf(missing.result)).reason).to.equal('MEDIA_NOT_FOUND');
    expect(missing.transfer.get()).to.deep.include({ state: 'failed' });

    const url = session.mediaUrl(mediaId);
    expect(session.mediaUrl(mediaId)).to.equal(url);
    const response = await fetch(await url);
    expect(await sha256(await response.blob())).to.equal(await sha256(file));
  });

  it('an upload that fails on the network fails the message with an error event; retry succeeds', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const session = await startedSession(aliceId);
    const events = collectEvents(session);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    await stopServer();
    try {
      session.sendFiles(key, [new File(['hello'], 'hello.txt')]);
      await waitFor(() => $messages.get()[0]?.status === 'failed', 'the upload to fail');
    } finally {
      await startServer();
    }
    expect($messages.get()[0]!.error!.reason).to.equal('MEDIA_TRANSFER_FAILED');
    expect(events.some((e) => e.type === 'error' && e.conversation === key && e.error.reason === 'MEDIA_TRANSFER_FAILED')).to.equal(true);
    const sent = await session.retry(key, $messages.get()[0]!.localId);
    expect(sent.status).to.equal('sent');
    expect(sent.attachment!.mediaId).to.be.a('string');
  });

  it('sends video/* as VIDEO with a poster and audio/* as AUDIO with their durations; one it cannot decode as FILE', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const session = await startedSession(aliceId);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    const video = new File([await recordedVideo(1500, 640, 360)], 'clip.webm', { type: 'video/webm' });
    const audio = toneWav(1200);
    // Random bytes named like a video: the browser cannot decode it, so no duration can be read.
    const garbage = randomFile(32 * 1024, 'x.mp4', 'video/mp4');
    const seen = history(session.messagesOf(key));

    const chats = session.sendFiles(key, [video, audio, garbage]);
    // Until the upload has read a duration, they are files being uploaded.
    expect(chats.map((c) => c.attachment!.kind)).to.deep.equal(['file', 'file', 'file']);
    await waitFor(() => $messages.get().length === 3 && $messages.get().every((m) => m.status === 'sent'), 'all three to be sent');

    const [sentVideo, sentAudio, sentGarbage] = chats.map((c) => byId($messages.get(), c.localId)!);
    expect(sentVideo!.message).to.deep.include({ messageType: 'VIDEO', width: 640, height: 360 });
    expect(sentVideo!.attachment).to.deep.include({ kind: 'video', fileName: 'clip.webm', mimeType: 'video/webm', width: 640, height: 360 });
    expect(sentVideo!.attachment!.durationMs).to.be.within(1000, 3000);
    expect(sentVideo!.attachment!.thumbnailUrl).to.match(/^data:image\/(webp|jpeg);base64,/);
    const poster = await decodedSize(await (await fetch(sentVideo!.attachment!.thumbnailUrl!)).blob());
    expect(Math.max(poster.width, poster.height)).to.be.within(1, THUMBNAIL_MAX_EDGE_PX);
    expect(poster).to.deep.equal({ width: sentVideo!.attachment!.thumbnailWidth, height: sentVideo!.attachment!.thumbnailHeight });
    // The poster was the local preview while the video uploaded.
    const preview = seen.map((list) => byId(list, chats[0]!.localId)).find((m) => m?.status === 'uploading' && m.attachment?.thumbnailUrl);
    expect(preview?.attachment).to.deep.include({ width: 640, height: 360, thumbnailUrl: sentVideo!.attachment!.thumbnailUrl });

    expect(sentAudio!.message.messageType).to.equal('AUDIO');
    expect(sentAudio!.attachment).to.deep.include({ kind: 'audio', fileName: 'tone.wav', mimeType: 'audio/wav' });
    expect(sentAudio!.attachment!.durationMs).to.be.closeTo(1200, 5);

    expect(sentGarbage!.message.messageType).to.equal('FILE');
    expect(sentGarbage!.attachment).to.deep.include({ kind: 'file', fileName: 'x.mp4', mimeType: 'video/mp4', size: garbage.size });
    expect(sentGarbage!.attachment!.mediaId).to.be.a('string');
    expect(sentGarbage!.error).to.equal(undefined);

    await waitFor(() => atBob.length === 3, 'bob to get all three');
    const byName = (name: string) => atBob.find(([m]) => (m as RtmFileMessage).fileName === name)![0];
    expect(byName('clip.webm')).to.deep.include({ messageType: 'VIDEO', durationMs: sentVideo!.attachment!.durationMs });
    expect((byName('clip.webm') as RtmVideoMessage).thumbnail).to.be.instanceOf(Blob);
    expect(byName('tone.wav')).to.deep.include({ messageType: 'AUDIO', durationMs: sentAudio!.attachment!.durationMs });
    expect(byName('x.mp4').messageType).to.equal('FILE');
  });

  it('sendVoice sends the duration the caller measured; a bad one throws INVALID_MESSAGE and adds nothing', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const session = await startedSession(aliceId);
    const key = session.conversationKey('peer', bobId);
    const $messages = mount(session.messagesOf(key));
    // What MediaRecorder hands over: a Blob without a name, whose WebM header has no duration.
    const voice = new Blob([randomBytes(8 * 1024) as BlobPart], { type: 'audio/webm;codecs=opus' });

    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_MEDIA_DURATION_MS + 1, undefined, '1000']) {
      const error = thrownBy(() => session.sendVoice(key, voice, bad as number));
      expect(error, String(bad)).to.be.instanceOf(RtmError);
      expect(error!.reason, String(bad)).to.equal('INVALID_MESSAGE');
      expect(error!.message).to.contain('durationMs');
    }
    expect(thrownBy(() => session.sendVoice(key, new Blob([]), 1000))!.reason).to.equal('MEDIA_EMPTY');
    expect(thrownBy(() => session.sendVoice(session.conversationKey('peer', ' bad'), voice, 1000))!.reason).to.equal('INVALID_USER_ID');
    expect($messages.get()).to.deep.equal([]);

    const chat = session.sendVoice(key, voice, 2345);
    // The duration shows while the recording uploads.
    expect(chat).to.deep.include({ own: true, status: 'uploading' });
    expect(chat.attachment).to.deep.equal({ kind: 'audio', fileName: 'voice', size: voice.size, mimeType: 'audio/webm', durationMs: 2345 });
    expect($messages.get()).to.have.length(1);
    await waitFor(() => $messages.get()[0]?.status === 'sent', 'the voice message to be sent');
    const sent = $messages.get()[0]!;
    expect(sent.message).to.deep.include({ messageType: 'AUDIO', durationMs: 2345, fileName: 'voice' });
    expect(sent.attachment).to.deep.include({ kind: 'audio', durationMs: 2345 });
    await waitFor(() => atBob.length === 1, 'bob to get it');
    const got = atBob[0]![0] as RtmAudioMessage;
    expect(got).to.deep.include({ messageType: 'AUDIO', durationMs: 2345, size: voice.size, mimeType: 'audio/webm' });
    expect(await sha256(await bob.downloadMedia(got.mediaId))).to.equal(await sha256(voice));
    // A File keeps its name.
    const named = session.sendVoice(key, new File([voice], 'memo.webm', { type: voice.type }), 10);
    expect(named.attachment).to.deep.include({ fileName: 'memo.webm', durationMs: 10 });
    await waitFor(() => byId($messages.get(), named.localId)?.status === 'sent', 'the named one to be sent');
  });

  it('a cancelled voice upload stays failed with its duration; retry sends it as AUDIO', async () => {
    const session = await startedSession(uniqueId('alice'));
    const key = session.conversationKey('peer', uniqueId('bob'));
    const $messages = mount(session.messagesOf(key));
    const voice = new File([randomBytes(20 * MB) as BlobPart], 'long.webm', { type: 'audio/webm' });
    const chat = session.sendVoice(key, voice, 60_000);
    const $transfer = session.transferOf(chat.localId);
    await waitFor(() => $transfer.get()?.state === 'active', 'the upload to start');
    session.cancelUpload(key, chat.localId);
    await waitFor(() => $messages.get()[0]?.status === 'failed', 'the message to fail');
    expect($messages.get()[0]!.error!.reason).to.equal('CANCELLED');
    expect($messages.get()[0]!.attachment).to.deep.include({ kind: 'audio', durationMs: 60_000 });

    const sent = await session.retry(key, chat.localId);
    expect(sent.status).to.equal('sent');
    expect(sent.message).to.deep.include({ messageType: 'AUDIO', durationMs: 60_000 });
    expect(sent.attachment!.mediaId).to.be.a('string');
  });
});
