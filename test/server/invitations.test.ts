import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INVITATION_CHECK_INTERVAL_MS, INVITATION_EXPIRE_MS, INVITATION_OFFLINE_TIMEOUT_MS } from '../../src/protocol/index.js';
import { manualClock, startTestServer, type TestClient, type TestServer } from './helpers.js';

/** Long enough for the registry's next check (it runs every INVITATION_CHECK_INTERVAL_MS). */
const TICK_WAIT_MS = INVITATION_CHECK_INTERVAL_MS * 2 + 500;

describe('call invitations', () => {
  const clock = manualClock();
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ now: clock.now });
  });
  after(() => t.close());

  const send = (from: TestClient, invitation: string, callee: string, content = 'call me') =>
    from.requestOk({ t: 'invitation.send', invitation, callee, content, channelId: 'room-1' });

  it('goes to every connection of the callee; the first answer wins, the others are told', async () => {
    const amy = await t.connect('inv-amy');
    const [ben1, ben2] = [await t.connect('inv-ben'), await t.connect('inv-ben')];
    assert.deepEqual(await send(amy, 'i1', 'inv-ben'), { received: true });
    for (const ben of [ben1, ben2]) {
      assert.deepEqual(await ben.next('invitation'), { t: 'invitation', caller: 'inv-amy', invitation: 'i1', content: 'call me', channelId: 'room-1' });
    }
    assert.deepEqual(await ben2.requestOk({ t: 'invitation.accept', caller: 'inv-amy', invitation: 'i1', response: 'on my way' }), {});
    assert.deepEqual(await amy.next('invitation.reply'), { t: 'invitation.reply', invitation: 'i1', accepted: true, response: 'on my way' });
    // Every connection of the callee hears it, the answering one too (after its reply): tabs
    // sharing that connection each have a prompt to close.
    for (const ben of [ben1, ben2]) {
      assert.deepEqual(await ben.next('invitation.answered'), { t: 'invitation.answered', caller: 'inv-amy', invitation: 'i1', accepted: true });
    }

    // A second answer, from either connection, is refused and changes nothing.
    const second = await ben1.requestError({ t: 'invitation.refuse', caller: 'inv-amy', invitation: 'i1', response: '' });
    assert.deepEqual([second.code, second.reason], [434, 'INVITATION_ALREADY_ACCEPTED']);
    assert.equal((await ben2.requestError({ t: 'invitation.accept', caller: 'inv-amy', invitation: 'i1', response: '' })).reason, 'INVITATION_ALREADY_ACCEPTED');
    // Nor can the caller cancel an accepted invitation.
    assert.equal((await amy.requestError({ t: 'invitation.cancel', invitation: 'i1' })).reason, 'INVITATION_ALREADY_ACCEPTED');
    await amy.expectNone('invitation.reply', 100);
    await ben1.expectNone('invitation.canceled', 0);
    // Nothing stored.
    assert.deepEqual(await ben1.requestOk({ t: 'conversations' }), { conversations: [], totalUnread: 0 });
  });

  it('refuse: the caller gets the response; refusing or accepting again is refused', async () => {
    const amy = await t.connect('inv-amy2');
    const ben = await t.connect('inv-ben2');
    await send(amy, 'r1', 'inv-ben2');
    await ben.next('invitation');
    await ben.requestOk({ t: 'invitation.refuse', caller: 'inv-amy2', invitation: 'r1', response: 'busy' });
    assert.deepEqual(await amy.next('invitation.reply'), { t: 'invitation.reply', invitation: 'r1', accepted: false, response: 'busy' });
    const again = await ben.requestError({ t: 'invitation.accept', caller: 'inv-amy2', invitation: 'r1', response: '' });
    assert.deepEqual([again.code, again.reason], [435, 'INVITATION_ALREADY_ENDED']);
    // The id is free again once the invitation ended.
    assert.deepEqual(await send(amy, 'r1', 'inv-ben2'), { received: true });
    await ben.next('invitation');
    // An open id cannot be sent twice.
    assert.equal((await amy.requestError({ t: 'invitation.send', invitation: 'r1', callee: 'inv-ben2' })).reason, 'INVITATION_ALREADY_SENT');
  });

  it('cancel reaches every connection of the callee; accept after cancel is refused', async () => {
    const amy = await t.connect('inv-amy3');
    const [ben1, ben2] = [await t.connect('inv-ben3'), await t.connect('inv-ben3')];
    await send(amy, 'c1', 'inv-ben3', 'the content');
    await ben1.next('invitation');
    await ben2.next('invitation');
    assert.deepEqual(await amy.requestOk({ t: 'invitation.cancel', invitation: 'c1' }), {});
    for (const ben of [ben1, ben2]) {
      assert.deepEqual(await ben.next('invitation.canceled'), { t: 'invitation.canceled', caller: 'inv-amy3', invitation: 'c1', content: 'the content' });
    }
    const late = await ben1.requestError({ t: 'invitation.accept', caller: 'inv-amy3', invitation: 'c1', response: '' });
    assert.deepEqual([late.code, late.reason], [435, 'INVITATION_ALREADY_ENDED']);
    await amy.expectNone('invitation.reply', 100);
    assert.equal((await amy.requestError({ t: 'invitation.cancel', invitation: 'c1' })).reason, 'INVITATION_ALREADY_ENDED');
    // Only the connection that sent it may cancel it.
    await send(amy, 'c2', 'inv-ben3');
    const amyOther = await t.connect('inv-amy3');
    assert.equal((await amyOther.requestError({ t: 'invitation.cancel', invitation: 'c2' })).reason, 'INVITATION_NOT_FOUND');
    // And only its callee may answer it.
    const eve = await t.connect('inv-eve3');
    assert.equal((await eve.requestError({ t: 'invitation.accept', caller: 'inv-amy3', invitation: 'c2', response: '' })).reason, 'INVITATION_NOT_FOUND');
  });

  it('to oneself is refused', async () => {
    const amy = await t.connect('inv-self');
    const error = await amy.requestError({ t: 'invitation.send', invitation: 's1', callee: 'inv-self' });
    assert.deepEqual([error.code, error.reason], [430, 'INVITATION_TO_SELF']);
    await amy.expectNone('invitation', 100);
  });

  it('an offline callee gets it on coming online within 30 s; after that it fails with PEER_OFFLINE', async () => {
    const amy = await t.connect('inv-amy4');
    assert.deepEqual(await send(amy, 'o1', 'inv-ben4'), { received: false });
    clock.advance(INVITATION_OFFLINE_TIMEOUT_MS - 1000);
    const ben = await t.connect('inv-ben4');
    assert.equal((await ben.next('invitation', { timeoutMs: TICK_WAIT_MS })).invitation, 'o1');
    assert.deepEqual(await amy.next('invitation.received'), { t: 'invitation.received', invitation: 'o1' });

    assert.deepEqual(await send(amy, 'o2', 'inv-nobody4'), { received: false });
    clock.advance(INVITATION_OFFLINE_TIMEOUT_MS);
    assert.deepEqual(await amy.next('invitation.failed', { timeoutMs: TICK_WAIT_MS, where: (f) => f.invitation === 'o2' }), {
      t: 'invitation.failed',
      invitation: 'o2',
      reason: 'PEER_OFFLINE',
    });
    const nobody = await t.connect('inv-nobody4');
    await nobody.expectNone('invitation', TICK_WAIT_MS);
  });

  it('expires for both INVITATION_EXPIRE_MS after it was sent when nobody answers', async () => {
    const amy = await t.connect('inv-amy5');
    const ben = await t.connect('inv-ben5');
    await send(amy, 'e1', 'inv-ben5');
    await ben.next('invitation');
    clock.advance(INVITATION_EXPIRE_MS);
    assert.deepEqual(await amy.next('invitation.failed', { timeoutMs: TICK_WAIT_MS }), { t: 'invitation.failed', invitation: 'e1', reason: 'INVITATION_EXPIRE' });
    assert.deepEqual(await ben.next('invitation.failed'), { t: 'invitation.failed', caller: 'inv-amy5', invitation: 'e1', reason: 'INVITATION_EXPIRE' });
    assert.equal((await ben.requestError({ t: 'invitation.accept', caller: 'inv-amy5', invitation: 'e1', response: '' })).reason, 'INVITATION_ALREADY_ENDED');
  });

  it('fails when the caller disconnects (callee: PEER_OFFLINE) or every connection of the callee does (caller: PEER_OFFLINE)', async () => {
    const amy = await t.connect('inv-amy6');
    const [ben1, ben2] = [await t.connect('inv-ben6'), await t.connect('inv-ben6')];
    await send(amy, 'd1', 'inv-ben6');
    await ben1.next('invitation');
    await ben2.next('invitation');
    amy.close();
    for (const ben of [ben1, ben2]) {
      assert.deepEqual(await ben.next('invitation.failed'), { t: 'invitation.failed', caller: 'inv-amy6', invitation: 'd1', reason: 'PEER_OFFLINE' });
    }
    assert.equal((await ben1.requestError({ t: 'invitation.accept', caller: 'inv-amy6', invitation: 'd1', response: '' })).reason, 'INVITATION_ALREADY_ENDED');

    const amy2 = await t.connect('inv-amy6');
    await send(amy2, 'd2', 'inv-ben6');
    await ben1.next('invitation');
    await ben2.next('invitation');
    ben1.close();
    // One connection left: still open.
    await amy2.expectNone('invitation.failed', TICK_WAIT_MS);
    ben2.close();
    assert.deepEqual(await amy2.next('invitation.failed', { timeoutMs: TICK_WAIT_MS }), { t: 'invitation.failed', invitation: 'd2', reason: 'PEER_OFFLINE' });
  });
});
