import { expect } from '@open-wc/testing';
import { devToken, logoutAll, newClient, record, rejectionOf, uniqueId, waitFor, loggedInClient } from './helpers.js';

// A token of 1 s keeps a connection open for about 6 s (its expiry plus the server's 5 s clock
// tolerance), and is inside the 30 s warning window from the start.
const SHORT = 1;
const EXPIRY_MS = 8_000;

describe('RtmClient token lifetime', function () {
  this.timeout(60_000);

  afterEach(logoutAll);

  it('warns with TokenPrivilegeWillExpire; renewToken keeps the connection past the old expiry', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const alice = newClient();
    const warnings = record(alice, 'TokenPrivilegeWillExpire');
    const expired = record(alice, 'TokenExpired');
    await alice.login({ uid: aliceId, token: await devToken(aliceId, SHORT) });
    await waitFor(() => warnings.length === 1, 'TokenPrivilegeWillExpire');
    await alice.renewToken(await devToken(aliceId));
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_MS));
    expect(alice.connectionState).to.equal('CONNECTED');
    expect(expired).to.have.length(0);
    await alice.sendMessageToPeer({ text: 'still here' }, bobId);
    await waitFor(() => atBob.length === 1, 'bob to get the message');
  });

  it('TokenExpired when not renewed: waits in RECONNECTING, then renewToken reconnects and sends what was queued', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    const alice = newClient();
    const states = record(alice, 'ConnectionStateChanged');
    const expired = record(alice, 'TokenExpired');
    await alice.login({ uid: aliceId, token: await devToken(aliceId, SHORT) });
    await waitFor(() => expired.length === 1, 'TokenExpired', EXPIRY_MS + 2_000);
    expect(states.at(-1)).to.deep.equal(['RECONNECTING', 'TOKEN_EXPIRED']);
    const sending = alice.sendMessageToPeer({ text: 'written while expired' }, bobId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(alice.connectionState, 'no reconnect with the expired token').to.equal('RECONNECTING');
    expect(atBob).to.have.length(0);

    await alice.renewToken(await devToken(aliceId));
    await sending;
    expect(states.at(-1)).to.deep.equal(['CONNECTED', 'LOGIN_SUCCESS']);
    await waitFor(() => atBob.length === 1, 'bob to get the queued message');
    expect((atBob[0]![0] as { text: string }).text).to.equal('written while expired');
  });

  it('ends with DISCONNECTED / TOKEN_EXPIRED when no new token comes in time', async () => {
    const aliceId = uniqueId('alice');
    const alice = newClient({ reconnectGiveUpMs: 500 });
    const states = record(alice, 'ConnectionStateChanged');
    await alice.login({ uid: aliceId, token: await devToken(aliceId, SHORT) });
    await waitFor(() => alice.connectionState === 'DISCONNECTED', 'the client to give up', EXPIRY_MS + 2_000);
    expect(states.at(-1)).to.deep.equal(['DISCONNECTED', 'TOKEN_EXPIRED']);
    const error = await rejectionOf(alice.sendMessageToPeer({ text: 'too late' }, uniqueId('bob')));
    expect(error.reason).to.equal('MESSAGE_WEBSOCKET_DISCONNECTED');
  });

  it('a refused renewal rejects with the reason and keeps the connection and the old token', async () => {
    const aliceId = uniqueId('alice');
    const alice = await loggedInClient(aliceId);
    const error = await rejectionOf(alice.renewToken(await devToken(uniqueId('mallory'))));
    expect(error.reason).to.equal('TOKEN_MISMATCH');
    expect(alice.connectionState).to.equal('CONNECTED');
    const invalid = await rejectionOf(alice.renewToken(''));
    expect(invalid.reason).to.equal('INVALID_ARGUMENT');
  });
});
