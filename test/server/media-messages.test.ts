import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WireFileMessage, WireImageMessage } from '../../src/protocol/index.js';
import * as sample from '../protocol/image-samples.js';
import { fullHistory, startTestServer, type TestClient, type TestServer } from './helpers.js';
import { mediaHeaders, upload, uploadOk } from './media-helpers.js';

const OTHER = {
  id: 'other',
  restKey: 'k',
  restSecret: 's',
  tokenSecret: 'other-app-token-secret-0123456789abcdef',
  allowedOrigins: ['*'],
};

describe('IMAGE and FILE messages', () => {
  let t: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let image: WireImageMessage;
  before(async () => {
    t = await startTestServer({ config: { apps: [OTHER] } });
    alice = await t.connect('alice');
    bob = await t.connect('bob');
    const bytes = sample.png(640, 480);
    const uploaded = await uploadOk(t, bytes, 'image/png');
    image = {
      type: 'IMAGE',
      mediaId: uploaded.mediaId,
      size: uploaded.size,
      fileName: 'cat 🐱.png',
      mimeType: 'image/png',
      description: 'our cat',
      thumbnail: Buffer.from(sample.png(32, 24)).toString('base64'),
      thumbnailWidth: 32,
      thumbnailHeight: 24,
      width: uploaded.width!,
      height: uploaded.height!,
    };
  });
  after(() => t.close());

  it('refuses an IMAGE with an unknown media id (MEDIA_NOT_FOUND) and stores nothing', async () => {
    const unknown = { ...image, mediaId: 'Z'.repeat(22) };
    const error = await alice.requestError({ t: 'peer.send', to: 'bob', cmid: 'img-unknown', message: unknown, offline: true });
    assert.deepEqual([error.code, error.reason], [414, 'MEDIA_NOT_FOUND']);
    await bob.expectNone('peer.message');
    assert.deepEqual(await fullHistory(alice, { peer: 'bob' }), []);
    // Nothing kept offline either.
    const carol = await t.connect('carol');
    await carol.requestError({ t: 'peer.send', to: 'dave', cmid: 'img-unknown-2', message: unknown, offline: true });
    const dave = await t.connect('dave');
    await dave.expectNone('peer.message');
  });

  it('delivers an IMAGE with a live media id to the peer with every field', async () => {
    const ack = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'img-1', message: image, offline: false });
    assert.equal(ack.hasPeerReceived, true);
    const [received] = await bob.messages('peer.message', 1);
    assert.deepEqual(received!.message, image);
    assert.equal(received!.from, 'alice');
    assert.equal(received!.id, ack.messageId);
  });

  it('lets a second message reuse the media id without a new upload, also as a FILE and from someone else', async () => {
    const again = { ...image, fileName: 'same cat.png', description: 'again' };
    await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'img-2', message: again, offline: false });
    assert.deepEqual((await bob.messages('peer.message', 1))[0]!.message, again);
    const asFile: WireFileMessage = { type: 'FILE', mediaId: image.mediaId, size: image.size, fileName: 'cat.png' };
    await bob.requestOk({ t: 'peer.send', to: 'alice', cmid: 'file-1', message: asFile, offline: false });
    assert.deepEqual((await alice.messages('peer.message', 1))[0]!.message, asFile);
    const history = await fullHistory(alice, { peer: 'bob' });
    assert.deepEqual(history.map((m) => m.message.type), ['IMAGE', 'IMAGE', 'FILE']);
  });

  it('refuses a size that is not the object’s', async () => {
    const error = await alice.requestError({ t: 'peer.send', to: 'bob', cmid: 'img-size', message: { ...image, size: image.size + 1 }, offline: false });
    assert.equal(error.reason, 'INVALID_MESSAGE');
    await bob.expectNone('peer.message');
  });

  it("refuses another app's media id as MEDIA_NOT_FOUND", async () => {
    const otherToken = await t.token('zed', { appId: 'other', secret: OTHER.tokenSecret });
    const theirs = await upload(t, 'their file', { headers: mediaHeaders(otherToken, 'other') });
    assert.equal(theirs.status, 201);
    const error = await alice.requestError({
      t: 'peer.send',
      to: 'bob',
      cmid: 'file-other-app',
      message: { type: 'FILE', mediaId: theirs.body.mediaId, size: theirs.body.size, fileName: 'x.txt' },
      offline: false,
    });
    assert.equal(error.reason, 'MEDIA_NOT_FOUND');
  });

  it('checks channel messages the same way', async () => {
    await alice.requestOk({ t: 'channel.join', channel: 'pics' });
    await bob.requestOk({ t: 'channel.join', channel: 'pics' });
    const file: WireFileMessage = { type: 'FILE', mediaId: 'Y'.repeat(22), size: 3, fileName: 'notes.txt' };
    const error = await alice.requestError({ t: 'channel.send', channel: 'pics', cmid: 'ch-file-unknown', message: file });
    assert.equal(error.reason, 'MEDIA_NOT_FOUND');
    await bob.expectNone('channel.message');
    const uploaded = await uploadOk(t, 'abc', 'text/plain');
    const real = { ...file, mediaId: uploaded.mediaId, mimeType: 'text/plain' };
    await alice.requestOk({ t: 'channel.send', channel: 'pics', cmid: 'ch-file-1', message: real });
    assert.deepEqual((await bob.messages('channel.message', 1))[0]!.message, real);
    assert.deepEqual((await fullHistory(bob, { channel: 'pics' })).map((m) => m.cmid), ['ch-file-1']);
  });
});
