import { expect } from '@open-wc/testing';
import { devToken, loggedInClient, record, sleep, uniqueId, waitFor } from '../client/helpers.js';
import { collectEvents, sessionKit } from './helpers.js';

const { newSession, mount, cleanup } = sessionKit();

describe('ChatSession token renewal', function () {
  this.timeout(90_000);

  afterEach(cleanup);

  it('lives across several token lifetimes through its tokenProvider, losing no message', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const bob = await loggedInClient(bobId);
    const atBob = record(bob, 'MessageFromPeer');
    let issued = 0;
    // Tokens of 3 s: each lasts about 8 s on a connection (expiry + the server's 5 s clock
    // tolerance), always inside the 30 s warning window, so the session renews every 5 s
    // (TOKEN_RENEW_MIN_INTERVAL_MS) and must never let one expire.
    const session = await newSession(aliceId, {
      token: undefined,
      tokenProvider: async () => {
        issued++;
        return devToken(aliceId, 3);
      },
    });
    const events = collectEvents(session);
    const states: string[] = [];
    mount(session.$connection).listen(({ state }) => states.push(state));
    await session.start();
    const key = session.conversationKey('peer', bobId);
    mount(session.messagesOf(key));

    const sent: string[] = [];
    const deadline = Date.now() + 15_000;
    for (let i = 0; Date.now() < deadline; i++) {
      sent.push(`message ${i}`);
      void session.send(key, `message ${i}`);
      await sleep(400);
    }
    await waitFor(() => atBob.length === sent.length, `bob to get all ${sent.length} messages`, 20_000);
    expect(atBob.map(([m]) => (m as { text: string }).text)).to.deep.equal(sent);
    expect(issued, 'tokens asked for: login and renewals').to.be.greaterThan(2);
    expect(states, 'never reconnecting: renewed in time').to.not.include('RECONNECTING');
    expect(events.filter((e) => e.type === 'error')).to.deep.equal([]);
  });

  it('without a tokenProvider the session ends with a TOKEN_EXPIRED error', async () => {
    const aliceId = uniqueId('alice');
    const session = await newSession(aliceId, { token: await devToken(aliceId, 1), client: { reconnectGiveUpMs: 500 } });
    const events = collectEvents(session);
    await session.start();
    await waitFor(() => session.$connection.get().state === 'DISCONNECTED', 'the session to end', 10_000);
    expect(session.$connection.get().reason).to.equal('TOKEN_EXPIRED');
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.error.reason)).to.deep.equal(['TOKEN_EXPIRED']);
  });
});
