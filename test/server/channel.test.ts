import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredMessage } from '../../src/protocol/index.js';
import { fullHistory, startTestServer, text, type TestServer } from './helpers.js';

const textOf = (stored: StoredMessage) => (stored.message as { text: string }).text;

describe('channels', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('fan out to every joined connection except the sending one, with join and leave notices', async () => {
    const ann1 = await t.connect('ann');
    const ann2 = await t.connect('ann');
    const ben = await t.connect('ben');
    const cat = await t.connect('cat');
    const outsider = await t.connect('dan');

    assert.deepEqual(await ann1.requestOk({ t: 'channel.join', channel: 'lobby' }), { members: ['ann'] });
    assert.deepEqual(await ben.requestOk({ t: 'channel.join', channel: 'lobby' }), { members: ['ann', 'ben'] });
    assert.deepEqual(await ann1.next('channel.member_joined'), { t: 'channel.member_joined', channel: 'lobby', uid: 'ben' });
    // ann's second tab joining does not make ann join again.
    assert.deepEqual(await ann2.requestOk({ t: 'channel.join', channel: 'lobby' }), { members: ['ann', 'ben'] });
    await ben.expectNone('channel.member_joined', 100);
    assert.deepEqual(await cat.requestOk({ t: 'channel.join', channel: 'lobby' }), { members: ['ann', 'ben', 'cat'] });
    for (const client of [ann1, ann2, ben]) {
      assert.equal((await client.next('channel.member_joined')).uid, 'cat');
    }
    await cat.expectNone('channel.member_joined', 50);
    // Joining twice on one connection changes nothing.
    assert.deepEqual(await cat.requestOk({ t: 'channel.join', channel: 'lobby' }), { members: ['ann', 'ben', 'cat'] });
    await ben.expectNone('channel.member_joined', 100);

    const ack = await ann1.requestOk({ t: 'channel.send', channel: 'lobby', cmid: 'ch-1', message: text('hi all') });
    assert.equal(ack.seq, 1);
    assert.equal(ack.duplicate, false);
    for (const client of [ann2, ben, cat]) {
      const { message } = await client.next('channel.message');
      assert.deepEqual(message, {
        id: ack.messageId,
        seq: 1,
        ts: ack.ts,
        from: 'ann',
        channel: 'lobby',
        cmid: 'ch-1',
        message: { type: 'TEXT', text: 'hi all' },
      });
    }
    await ann1.expectNone('channel.message', 100);
    await outsider.expectNone('channel.message', 0);

    // Members, from a member and from someone who has not joined.
    assert.deepEqual(await ben.requestOk({ t: 'channel.members', channel: 'lobby' }), { members: ['ann', 'ben', 'cat'] });
    assert.deepEqual(await outsider.requestOk({ t: 'channel.members', channel: 'lobby' }), { members: ['ann', 'ben', 'cat'] });

    // cat leaves: everyone left hears it; cat no longer gets messages.
    assert.deepEqual(await cat.requestOk({ t: 'channel.leave', channel: 'lobby' }), {});
    for (const client of [ann1, ann2, ben]) {
      assert.deepEqual(await client.next('channel.member_left'), { t: 'channel.member_left', channel: 'lobby', uid: 'cat' });
    }
    await ben.requestOk({ t: 'channel.send', channel: 'lobby', cmid: 'ch-2', message: text('cat gone?') });
    await cat.expectNone('channel.message', 100);
    assert.equal(textOf((await ann1.next('channel.message')).message), 'cat gone?');
    assert.equal(textOf((await ann2.next('channel.message')).message), 'cat gone?');

    // One of ann's tabs closing is not ann leaving; the last one is.
    ann1.close();
    await ann1.closed;
    await ben.expectNone('channel.member_left', 150);
    assert.deepEqual((await ben.requestOk({ t: 'channel.members', channel: 'lobby' })).members, ['ann', 'ben']);
    ann2.terminate();
    assert.deepEqual(await ben.next('channel.member_left'), { t: 'channel.member_left', channel: 'lobby', uid: 'ann' });
    assert.deepEqual((await ben.requestOk({ t: 'channel.members', channel: 'lobby' })).members, ['ben']);

    // History holds both messages for anyone.
    assert.deepEqual((await fullHistory(outsider, { channel: 'lobby' })).map(textOf), ['hi all', 'cat gone?']);
  });

  it('count their joined users for anyone, a user with two tabs once, up to 32 channels at a time', async () => {
    const [gil1, gil2] = [await t.connect('mc-gil'), await t.connect('mc-gil')];
    const hana = await t.connect('mc-hana');
    const outsider = await t.connect('mc-ivo');
    for (const client of [gil1, gil2, hana]) await client.requestOk({ t: 'channel.join', channel: 'mc-one' });
    await hana.requestOk({ t: 'channel.join', channel: 'mc-two' });
    const count = async (channels: unknown) => (await outsider.requestOk({ t: 'channel.member_count', channels: channels as string[] })).counts;
    assert.deepEqual(await count(['mc-one', 'mc-two', 'mc-none', 'mc-one']), { 'mc-one': 2, 'mc-two': 1, 'mc-none': 0 });
    await hana.requestOk({ t: 'channel.leave', channel: 'mc-one' });
    gil1.close();
    await gil1.closed;
    assert.deepEqual(await count(['mc-one']), { 'mc-one': 1 }, "gil's other tab is still in");
    const __proto__ = JSON.parse('["__proto__"]') as string[];
    assert.deepEqual(Object.entries(await count(__proto__)), [['__proto__', 0]]);

    const tooMany = Array.from({ length: 33 }, (_, i) => `mc-${i}`);
    assert.equal((await outsider.requestError({ t: 'channel.member_count', channels: tooMany })).reason, 'INVALID_FIELD');
    assert.equal((await outsider.requestError({ t: 'channel.member_count', channels: [] })).reason, 'INVALID_FIELD');
    assert.equal((await outsider.requestError({ t: 'channel.member_count', channels: ['ok', ' bad'] })).reason, 'INVALID_CHANNEL_NAME');
    assert.equal(Object.keys(await count(tooMany.slice(0, 32))).length, 32);
  });

  it('refuse sending from a connection that has not joined, even if another tab of the user has', async () => {
    const a = await t.connect('eve');
    const b = await t.connect('eve');
    await a.requestOk({ t: 'channel.join', channel: 'room2' });
    const error = await b.requestError({ t: 'channel.send', channel: 'room2', cmid: 'nj', message: text('x') });
    assert.equal(error.reason, 'NOT_JOINED');
    assert.equal((await a.requestError({ t: 'channel.send', channel: 'elsewhere', cmid: 'nj2', message: text('x') })).reason, 'NOT_JOINED');
    await a.expectNone('channel.message', 100);
    assert.deepEqual((await a.requestOk({ t: 'history', channel: 'room2', limit: 10 })).messages, []);
  });

  it('store a channel resend once and do not fan it out again', async () => {
    const a = await t.connect('fay');
    const b = await t.connect('gus');
    await a.requestOk({ t: 'channel.join', channel: 'room3' });
    await b.requestOk({ t: 'channel.join', channel: 'room3' });
    const first = await a.requestOk({ t: 'channel.send', channel: 'room3', cmid: 'cdup', message: text('once') });
    const again = await a.requestOk({ t: 'channel.send', channel: 'room3', cmid: 'cdup', message: text('twice') });
    assert.deepEqual(again, { ...first, duplicate: true });
    assert.equal(textOf((await b.next('channel.message')).message), 'once');
    await b.expectNone('channel.message', 150);
    assert.deepEqual((await fullHistory(b, { channel: 'room3' })).map(textOf), ['once']);
  });

  it('keep channels of different names and users apart', async () => {
    const a = await t.connect('hal');
    const b = await t.connect('ida');
    await a.requestOk({ t: 'channel.join', channel: 'x y' });
    await b.requestOk({ t: 'channel.join', channel: 'x' });
    await a.requestOk({ t: 'channel.send', channel: 'x y', cmid: 'sp', message: text('spaced') });
    await b.expectNone('channel.message', 100);
    assert.equal((await a.requestOk({ t: 'channel.send', channel: 'x y', cmid: 'sp2', message: text('2') })).seq, 2);
    assert.equal((await b.requestOk({ t: 'channel.send', channel: 'x', cmid: 'sp3', message: text('3') })).seq, 1);
  });
});
