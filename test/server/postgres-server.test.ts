import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullHistory, startTestServer, text } from './helpers.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

const skip = TEST_DATABASE_URL === undefined ? 'RTM_TEST_DATABASE_URL is not set: PostgreSQL server test SKIPPED' : false;
if (skip) console.log(`# ${skip}`);

describe('the server on PostgreSQL (databaseUrl / RTM_DATABASE_URL)', { skip }, () => {
  it('stores in the database, so a second server on it has the app, the history and the offline messages', async () => {
    const database = await createTestDatabase();
    try {
      const first = await startTestServer({ databaseUrl: database.url });
      const secret = first.demoSecret;
      assert.notEqual(secret, '');
      const alice = await first.connect('alice');
      const sent = await alice.requestOk({ t: 'peer.send', to: 'bob', cmid: 'pg-1', message: text('kept in postgres'), offline: true });
      await first.close();

      // Another data dir, the same database: what matters is in PostgreSQL.
      const second = await startTestServer({ databaseUrl: database.url });
      try {
        assert.equal(second.server.createdApps.length, 0);
        const bob = await second.connect('bob', { secret });
        const offline = await bob.next('peer.offline_batch');
        assert.deepEqual(offline.messages.map((m) => m.id), [sent.messageId]);
        const history = await fullHistory(bob, { peer: 'alice' });
        assert.deepEqual(history.map((m) => [m.id, m.seq]), [[sent.messageId, 1]]);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('refuses a database URL that is not postgres://', async () => {
    await assert.rejects(startTestServer({ databaseUrl: 'mysql://localhost/x' }), /postgres:\/\//);
  });
});

describe('a PostgreSQL database that cannot be reached at start', () => {
  it('stops the start with a message naming the database and the setting, never the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await assert.rejects(startTestServer({ databaseUrl: 'postgres://rtm:hunter2@127.0.0.1:1/chat' }), (error: Error) => {
      assert.match(error.message, /Could not open the PostgreSQL database 127\.0\.0\.1:1\/chat \(RTM_DATABASE_URL\): .*ECONNREFUSED/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
});
