import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, MAX_CHANNEL_ATTRIBUTES, type ChannelAttributes } from '../../src/protocol/index.js';
import { manualClock, startTestServer, type TestServer } from './helpers.js';

/** A channel's attributes as [key, value, lastUpdateUserId, lastUpdateTs] rows. */
const rows = (attributes: ChannelAttributes) =>
  Object.entries(attributes).map(([key, a]) => [key, a.value, a.lastUpdateUserId, a.lastUpdateTs]);

describe('user attributes', () => {
  const clock = manualClock(1_700_000_000_000);
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now });
  });
  after(() => t.close());

  it('set replaces, update adds or replaces, delete removes keys, clear removes all; anyone reads them', async () => {
    const ann = await t.connect('attr-ann');
    const bea = await t.connect('attr-bea');
    const read = async (keys?: string[]) => (await bea.requestOk({ t: 'user.attributes.get', uid: 'attr-ann', ...(keys && { keys }) })).attributes;

    assert.deepEqual(await read(), {}, 'a user without attributes has an empty map');
    await ann.requestOk({ t: 'user.attributes.write', op: 'set', attributes: { name: 'Ann', avatar: 'https://a.example/ann.png' } });
    assert.deepEqual(await read(), { avatar: 'https://a.example/ann.png', name: 'Ann' });
    await ann.requestOk({ t: 'user.attributes.write', op: 'update', attributes: { name: 'Ann Lee', city: '上海' } });
    assert.deepEqual(await read(), { avatar: 'https://a.example/ann.png', city: '上海', name: 'Ann Lee' });
    assert.deepEqual(await read(['name', 'nope']), { name: 'Ann Lee' }, 'by keys: only those that exist');
    await ann.requestOk({ t: 'user.attributes.write', op: 'delete', keys: ['city', 'never-set'] });
    assert.deepEqual(await read(), { avatar: 'https://a.example/ann.png', name: 'Ann Lee' });
    await ann.requestOk({ t: 'user.attributes.write', op: 'set', attributes: { name: 'A' } });
    assert.deepEqual(await read(), { name: 'A' }, 'set drops the keys it does not name');
    await ann.requestOk({ t: 'user.attributes.write', op: 'clear' });
    assert.deepEqual(await read(), {});
  });

  it('outlive the session: a user reads its own after logging in again', async () => {
    const first = await t.connect('attr-cy');
    // As JSON reads it: "__proto__" an own key, not the prototype.
    const attributes0 = JSON.parse('{"name":"Cy","__proto__":"kept as a key"}') as Record<string, string>;
    await first.requestOk({ t: 'user.attributes.write', op: 'set', attributes: attributes0 });
    first.close();
    await first.closed;
    const again = await t.connect('attr-cy');
    const { attributes } = await again.requestOk({ t: 'user.attributes.get', uid: 'attr-cy' });
    assert.deepEqual(Object.entries(attributes), [['__proto__', 'kept as a key'], ['name', 'Cy']]);
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
  });

  it('a refused write changes nothing, checked against what is stored', async () => {
    const dee = await t.connect('attr-dee');
    const full = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v']));
    await dee.requestOk({ t: 'user.attributes.write', op: 'set', attributes: full });
    const tooMany = await dee.requestError({ t: 'user.attributes.write', op: 'update', attributes: { one: 'more' } });
    assert.equal(tooMany.reason, 'TOO_MANY_ATTRIBUTES');
    assert.match(tooMany.message, /at most 32 attributes; this write would leave 33/);
    // Replacing a key that exists keeps the count: allowed.
    await dee.requestOk({ t: 'user.attributes.write', op: 'update', attributes: { k0: 'changed' } });
    const big = await dee.requestError({ t: 'user.attributes.write', op: 'update', attributes: { k1: 'x'.repeat(8000), k2: 'y'.repeat(8000), k3: 'z'.repeat(400) } });
    assert.equal(big.reason, 'ATTRIBUTES_TOO_LARGE');
    const { attributes } = await dee.requestOk({ t: 'user.attributes.get', uid: 'attr-dee' });
    assert.deepEqual(attributes, { ...full, k0: 'changed' });
  });
});

describe('channel attributes', () => {
  const clock = manualClock(1_700_000_000_000);
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now });
  });
  after(() => t.close());

  it('members write them; with notify every joined connection gets them after the write, with who and when', async () => {
    const [eve1, eve2] = [await t.connect('attr-eve'), await t.connect('attr-eve')];
    const fin = await t.connect('attr-fin');
    const outsider = await t.connect('attr-gus');
    for (const client of [eve1, eve2, fin]) await client.requestOk({ t: 'channel.join', channel: 'attr-room' });
    const t0 = clock.now();

    await eve1.requestOk({ t: 'channel.attributes.write', channel: 'attr-room', notify: true, op: 'set', attributes: { topic: 'Launch', pinned: 'm-1' } });
    for (const client of [eve1, eve2, fin]) {
      const push = await client.next('channel.attributes');
      assert.equal(push.channel, 'attr-room');
      assert.deepEqual(rows(push.attributes), [
        ['pinned', 'm-1', 'attr-eve', t0],
        ['topic', 'Launch', 'attr-eve', t0],
      ]);
    }
    clock.advance(5_000);
    // Without notify: stored, nobody told.
    await fin.requestOk({ t: 'channel.attributes.write', channel: 'attr-room', notify: false, op: 'update', attributes: { topic: 'Launch day' } });
    for (const client of [eve1, eve2, fin]) await client.expectNone('channel.attributes', client === eve1 ? 100 : 0);
    // Anyone reads them, joined or not.
    const { attributes } = await outsider.requestOk({ t: 'channel.attributes.get', channel: 'attr-room' });
    assert.deepEqual(rows(attributes), [
      ['pinned', 'm-1', 'attr-eve', t0],
      ['topic', 'Launch day', 'attr-fin', t0 + 5_000],
    ]);
    const byKeys = await outsider.requestOk({ t: 'channel.attributes.get', channel: 'attr-room', keys: ['topic'] });
    assert.deepEqual(Object.keys(byKeys.attributes), ['topic']);

    await eve2.requestOk({ t: 'channel.attributes.write', channel: 'attr-room', notify: true, op: 'delete', keys: ['pinned'] });
    assert.deepEqual(Object.keys((await fin.next('channel.attributes')).attributes), ['topic']);
    await eve2.requestOk({ t: 'channel.attributes.write', channel: 'attr-room', notify: true, op: 'clear' });
    assert.deepEqual((await fin.next('channel.attributes')).attributes, {});
    await outsider.expectNone('channel.attributes', 0);
  });

  it('only a joined connection writes: NOT_JOINED changes nothing and tells nobody', async () => {
    const hal = await t.connect('attr-hal');
    const ivy = await t.connect('attr-ivy');
    await hal.requestOk({ t: 'channel.join', channel: 'attr-desk' });
    await hal.requestOk({ t: 'channel.attributes.write', channel: 'attr-desk', notify: false, op: 'set', attributes: { topic: 'Support' } });
    const refused = await ivy.requestError({ t: 'channel.attributes.write', channel: 'attr-desk', notify: true, op: 'clear' });
    assert.deepEqual([refused.reason, refused.code], ['NOT_JOINED', ErrorCodes.NOT_JOINED]);
    assert.match(refused.message, /Join channel "attr-desk"/);
    await hal.expectNone('channel.attributes', 100);
    // After leaving, the same user's writes are refused too.
    await hal.requestOk({ t: 'channel.leave', channel: 'attr-desk' });
    assert.equal((await hal.requestError({ t: 'channel.attributes.write', channel: 'attr-desk', notify: false, op: 'clear' })).reason, 'NOT_JOINED');
    const { attributes } = await ivy.requestOk({ t: 'channel.attributes.get', channel: 'attr-desk' });
    assert.deepEqual(Object.keys(attributes), ['topic'], 'kept after every member left');
  });

  it('two members writing at once cannot together pass the key limit', async () => {
    const [jo, kai] = [await t.connect('attr-jo'), await t.connect('attr-kai')];
    for (const client of [jo, kai]) await client.requestOk({ t: 'channel.join', channel: 'attr-race' });
    const keys = (prefix: string) => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${prefix}${i}`, 'v']));
    const results = await Promise.all([
      jo.request({ t: 'channel.attributes.write', channel: 'attr-race', notify: false, op: 'update', attributes: keys('jo') }),
      kai.request({ t: 'channel.attributes.write', channel: 'attr-race', notify: false, op: 'update', attributes: keys('kai') }),
    ]);
    const refused = results.filter((reply) => !reply.ok);
    assert.equal(refused.length, 1, 'one of the two fits, the other is refused');
    assert.equal(!refused[0]!.ok && refused[0]!.error.reason, 'TOO_MANY_ATTRIBUTES');
    const { attributes } = await jo.requestOk({ t: 'channel.attributes.get', channel: 'attr-race' });
    assert.equal(Object.keys(attributes).length, 20);
    assert.ok(Object.keys(attributes).length <= MAX_CHANNEL_ATTRIBUTES);
  });
});
