import { expect } from '@open-wc/testing';
import { appId, devToken, loggedInClient, logoutAll, record, serverUrl, uniqueId, waitFor } from './helpers.js';

describe('RtmClient in a Worker', () => {
  afterEach(logoutAll);

  it('logs in and sends from a module Worker, where there is no window', async () => {
    const [workerUser, bobId] = [uniqueId('worker'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const worker = new Worker(new URL('./fixtures/worker-client.ts', import.meta.url), { type: 'module' });
    try {
      const reply = new Promise<any>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
      });
      worker.postMessage({
        serverUrl: serverUrl(),
        appId: appId(),
        uid: workerUser,
        token: await devToken(workerUser),
        peerId: bobId,
        text: 'from a worker',
      });
      const result = await reply;
      expect(result).to.deep.include({ ok: true, state: 'CONNECTED', hasWindow: false });
      await waitFor(() => received.length === 1, 'bob to get the message');
      expect(received[0]![0]).to.deep.equal({ messageType: 'TEXT', text: 'from a worker' });
      expect(received[0]![1]).to.equal(workerUser);
      expect(received[0]![2].messageId).to.equal(result.messageId);
    } finally {
      worker.terminate();
    }
  });

  it('uploads an image (thumbnail made in the Worker), sends it and downloads it, in a module Worker', async () => {
    const [workerUser, bobId] = [uniqueId('worker'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const received = record(bob, 'MessageFromPeer');
    const worker = new Worker(new URL('./fixtures/worker-media.ts', import.meta.url), { type: 'module' });
    try {
      const reply = new Promise<any>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
      });
      worker.postMessage({ serverUrl: serverUrl(), appId: appId(), uid: workerUser, token: await devToken(workerUser), peerId: bobId });
      const result = await reply;
      expect(result).to.deep.include({
        ok: true,
        hasWindow: false,
        width: 600,
        height: 400,
        thumbnailWidth: 320,
        hasThumbnail: true,
        uploadedAll: true,
      });
      expect(result.thumbnailHeight).to.be.within(213, 214);
      expect(result.downloadedSize).to.equal(result.size);
      await waitFor(() => received.length === 1, 'bob to get the image');
      expect(received[0]![0]).to.deep.include({ messageType: 'IMAGE', mediaId: result.mediaId, fileName: 'worker.png', width: 600 });
    } finally {
      worker.terminate();
    }
  });
});
