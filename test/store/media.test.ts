import { expect } from '@open-wc/testing';
import type { ReadableAtom } from 'nanostores';
import { MAX_MEDIA_BYTES, RtmError, THUMBNAIL_MAX_EDGE_PX } from '../../src/protocol/index.js';
import type { RtmFileMessage, RtmImageMessage } from '../../src/client/index.js';
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
import { noiseImage, randomFile, sha256 } from '../client/media-helpers.js';

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
});
