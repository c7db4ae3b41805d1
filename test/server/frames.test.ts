import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCodes, MAX_BAD_FRAMES_IN_A_ROW, MAX_FRAME_BYTES, messageByteSize } from '../../src/protocol/index.js';
import { startTestServer, text, type TestClient, type TestServer } from './helpers.js';

/** A TEXT message of exactly `bytes` serialized bytes. */
function messageOfSize(bytes: number) {
  return text('a'.repeat(bytes - messageByteSize(text(''))));
}

describe('bad frames', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  /** The connection still works: a normal send is acked and delivered. */
  async function stillServes(client: TestClient, cmid: string) {
    const bob = await t.connect('bob');
    const ack = await client.requestOk({ t: 'peer.send', to: 'bob', cmid, message: text('still here'), offline: false });
    assert.equal(ack.hasPeerReceived, true);
    assert.equal((await bob.next('peer.message')).message.id, ack.messageId);
    bob.close();
  }

  it('are answered with the right codes and the connection is kept', async () => {
    const client = await t.connect('alice');

    client.sendRaw('{"t":"ping",');
    assert.deepEqual((await client.next('error')).error.reason, 'MALFORMED_FRAME');
    client.sendRaw('[1,2,3]');
    assert.deepEqual((await client.next('error')).error.reason, 'MALFORMED_FRAME');
    client.sendRaw('"just a string"');
    assert.deepEqual((await client.next('error')).error.reason, 'MALFORMED_FRAME');
    client.sendRaw(Buffer.from('{"t":"ping","id":1}'), true);
    const binary = await client.next('error');
    assert.equal(binary.error.reason, 'MALFORMED_FRAME');
    assert.match(binary.error.message, /binary/i);

    const unknown = await client.requestError({ t: 'peer.teleport' });
    assert.deepEqual([unknown.code, unknown.reason], [401, 'UNKNOWN_FRAME']);
    assert.equal((await client.requestError({ t: 'peer.send', to: 5, cmid: 'x', message: text('x') })).reason, 'INVALID_FIELD');
    assert.equal((await client.requestError({ t: 'channel.join', channel: ['a'] })).reason, 'INVALID_FIELD');
    assert.equal((await client.requestError({ t: 'peer.send', to: 'bob', cmid: 'x', message: { type: 'EXE' } })).reason, 'INVALID_MESSAGE');
    assert.equal((await client.requestError({ t: 'peer.send', to: 'bob', cmid: 'x', message: text('') })).reason, 'MESSAGE_EMPTY');
    assert.equal((await client.requestError({ t: 'peer.send', to: 'bo/b', cmid: 'x', message: text('x') })).reason, 'INVALID_USER_ID');
    assert.equal((await client.requestError({ t: 'channel.join', channel: ' lobby' })).reason, 'INVALID_CHANNEL_NAME');
    // A frame without a usable id gets an error frame instead of a reply.
    client.sendRaw(JSON.stringify({ t: 'ping' }));
    assert.equal((await client.next('error')).error.reason, 'INVALID_FIELD');

    assert.ok(client.isOpen);
    await stillServes(client, 'after-bad-frames');
  });

  it('a message of exactly 32768 bytes is stored; 32769 is refused with MESSAGE_TOO_LARGE', async () => {
    const client = await t.connect('alice');
    const atCap = messageOfSize(32768);
    const ack = await client.requestOk({ t: 'peer.send', to: 'carol', cmid: 'cap', message: atCap, offline: false });
    const page = await client.requestOk({ t: 'history', peer: 'carol', limit: 1 });
    assert.equal(page.messages[0]!.id, ack.messageId);
    assert.deepEqual(page.messages[0]!.message, atCap);
    const error = await client.requestError({ t: 'peer.send', to: 'carol', cmid: 'over', message: messageOfSize(32769), offline: false });
    assert.deepEqual([error.code, error.reason], [406, 'MESSAGE_TOO_LARGE']);
    assert.ok(client.isOpen);
  });

  it('an oversized frame closes that socket with 1009 and the server keeps serving', async () => {
    const client = await t.connect('alice');
    client.sendRaw(JSON.stringify({ t: 'ping', id: 1, pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    assert.equal((await client.closed).code, 1009);
    const fresh = await t.connect('alice');
    await stillServes(fresh, 'after-oversized');
  });

  it(`${MAX_BAD_FRAMES_IN_A_ROW} bad frames in a row close the connection with PROTOCOL_VIOLATION`, async () => {
    const client = await t.connect('alice');
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW; i++) client.sendRaw('nope');
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW; i++) await client.next('error');
    assert.equal((await client.closed).code, CloseCodes.PROTOCOL_VIOLATION);
  });

  it('a good frame resets the bad-frame count', async () => {
    const client = await t.connect('alice');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW - 1; i++) client.sendRaw('nope');
      await client.requestOk({ t: 'ping' });
    }
    assert.ok(client.isOpen);
    await stillServes(client, 'after-reset');
  });

  it('invalid UTF-8 in a text frame closes only that socket (1007)', async () => {
    const client = await t.connect('alice');
    // ws validates UTF-8 before we see the frame; send raw bytes through the underlying socket API.
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    assert.equal((await client.closed).code, 1007);
    await stillServes(await t.connect('alice'), 'after-utf8');
  });
});
