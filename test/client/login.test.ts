import { expect } from '@open-wc/testing';
import { RtmChat, RtmError, createInstance, type ConnectionState } from '../../src/client/index.js';
import {
  appId,
  devToken,
  logoutAll,
  newClient,
  record,
  rejectionOf,
  serverUrl,
  sleep,
  socketTap,
  uniqueId,
} from './helpers.js';

describe('RtmClient login', () => {
  afterEach(logoutAll);

  it('logs in with a valid token and reports CONNECTING then CONNECTED', async () => {
    const uid = uniqueId('alice');
    const client = newClient();
    const states = record(client, 'ConnectionStateChanged');
    expect(client.connectionState).to.equal('DISCONNECTED');

    await client.login({ uid, token: await devToken(uid) });

    expect(client.connectionState).to.equal('CONNECTED');
    expect(states).to.deep.equal([
      ['CONNECTING', 'LOGIN'],
      ['CONNECTED', 'LOGIN_SUCCESS'],
    ]);
  });

  it('is also reachable namespace-style as RtmChat.createInstance', async () => {
    const uid = uniqueId('alice');
    const client = RtmChat.createInstance(appId(), { server: serverUrl(), logFilter: RtmChat.LOG_FILTER_OFF });
    try {
      await client.login({ uid, token: await devToken(uid) });
      expect(client.connectionState).to.equal(RtmChat.ConnectionState.CONNECTED);
    } finally {
      await client.logout();
    }
  });

  it('refuses a bad token with INVALID_TOKEN and does not reconnect', async () => {
    const tap = socketTap();
    const client = newClient({ WebSocket: tap.WebSocket });
    const states = record(client, 'ConnectionStateChanged');

    const error = await rejectionOf(client.login({ uid: uniqueId('mallory'), token: 'not-a-token' }));

    expect(error).to.be.instanceOf(RtmError);
    expect(error.reason).to.equal('INVALID_TOKEN');
    expect(error.code).to.equal(201);
    expect(client.connectionState).to.equal('DISCONNECTED');
    expect(states.at(-1)).to.deep.equal(['DISCONNECTED', 'LOGIN_FAILURE']);
    // Reconnecting cannot fix a refused token: no second socket shows up.
    await sleep(1500);
    expect(tap.opened()).to.equal(1);
  });

  it("refuses another user's token with TOKEN_MISMATCH", async () => {
    const client = newClient();
    const error = await rejectionOf(client.login({ uid: uniqueId('mallory'), token: await devToken(uniqueId('alice')) }));
    expect(error.reason).to.equal('TOKEN_MISMATCH');
  });

  it('refuses an unknown app with INVALID_APP_ID', async () => {
    const uid = uniqueId('alice');
    const client = createInstance('no-such-app', { server: serverUrl() });
    try {
      const error = await rejectionOf(client.login({ uid, token: await devToken(uid) }));
      expect(error.reason).to.equal('INVALID_APP_ID');
    } finally {
      await client.logout();
    }
  });

  it('rejects an invalid user id before opening a socket', async () => {
    const tap = socketTap();
    const client = newClient({ WebSocket: tap.WebSocket });
    const error = await rejectionOf(client.login({ uid: ' padded', token: 'x' }));
    expect(error.reason).to.equal('INVALID_USER_ID');
    expect(tap.opened()).to.equal(0);
    expect(client.connectionState).to.equal('DISCONNECTED');
  });

  it('refuses a second login while logged in', async () => {
    const uid = uniqueId('alice');
    const client = newClient();
    await client.login({ uid, token: await devToken(uid) });
    const error = await rejectionOf(client.login({ uid, token: await devToken(uid) }));
    expect(error.reason).to.equal('ALREADY_LOGGED_IN');
    expect(client.connectionState).to.equal('CONNECTED');
  });

  it('rejects sends with NOT_LOGGED_IN before login and after logout', async () => {
    const uid = uniqueId('alice');
    const client = newClient();
    expect((await rejectionOf(client.sendMessageToPeer({ text: 'early' }, 'bob'))).reason).to.equal('NOT_LOGGED_IN');

    await client.login({ uid, token: await devToken(uid) });
    const states = record(client, 'ConnectionStateChanged');
    await client.logout();

    expect(client.connectionState).to.equal('DISCONNECTED');
    expect(states).to.deep.equal([['DISCONNECTED', 'LOGOUT']] as [ConnectionState, string][]);
    expect((await rejectionOf(client.sendMessageToPeer({ text: 'late' }, 'bob'))).reason).to.equal('NOT_LOGGED_IN');
  });

  it('logs in again after logout, with the token stored by renewToken', async () => {
    const uid = uniqueId('alice');
    const client = newClient();
    await client.login({ uid, token: await devToken(uid) });
    await client.logout();
    await client.renewToken(await devToken(uid));
    await client.login({ uid });
    expect(client.connectionState).to.equal('CONNECTED');
  });

  it('throws INVALID_ARGUMENT for a server that is not an http(s) URL', () => {
    expect(() => createInstance(appId(), { server: 'localhost:8080' })).to.throw(RtmError).with.property('reason', 'INVALID_ARGUMENT');
    // The module build cannot guess the server (the script-tag build takes the one it came from).
    expect(() => createInstance(appId())).to.throw(RtmError, /the URL of your rtm-chat server/).with.property('reason', 'INVALID_ARGUMENT');
  });
});
