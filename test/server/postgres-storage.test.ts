import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { peerConversation } from '../../src/server/messaging/conversations.js';
import { createPostgresStorage } from '../../src/server/storage/postgres/index.js';
import { MAX_REACTIONS_PER_MESSAGE } from '../../src/protocol/index.js';
import type { NewMessage, Storage } from '../../src/server/storage/types.js';
import { createTestDatabase, TEST_DATABASE_URL } from './storage-backends.js';

/**
 * What only PostgreSQL has: several nodes (here two storages, two connection pools) writing one
 * database at once. Stores race inside the server's store function (rtm_store_message), so
 * these check that seq stays gapless and unique and a cmid is stored once whichever pool wins.
 */

const skip = TEST_DATABASE_URL === undefined ? 'RTM_TEST_DATABASE_URL is not set: PostgreSQL two-pool tests SKIPPED' : false;
if (skip) console.log(`# ${skip}`);

const APP = { id: 'a', restKey: 'k', restSecret: 's', tokenSecret: 't'.repeat(32), allowedOrigins: ['*'], createdAt: 1 };

let counter = 0;
function peer(from: string, to: string, more: Partial<NewMessage> = {}): NewMessage {
  counter += 1;
  return {
    appId: APP.id,
    conv: peerConversation(from, to),
    id: `m${counter}`,
    ts: 1000 + counter,
    from,
    to,
    cmid: `c${counter}`,
    message: { type: 'TEXT', text: `n${counter}` },
    ack: { peerReceived: false, storedOffline: false },
    ...more,
  };
}

describe('PostgreSQL storage shared by two nodes', { skip }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let nodes: Storage[];
  before(async () => {
    database = await createTestDatabase();
    // Both migrate at once, as nodes starting together do (they take turns on the advisory lock).
    nodes = await Promise.all([createPostgresStorage(database.url), createPostgresStorage(database.url)]);
    await nodes[0]!.apps.insertIfMissing(APP);
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await database.drop();
  });

  it('gives concurrent stores into one conversation from both nodes gapless, unique seqs, delivered markers and offline copies', async () => {
    const sends = Array.from({ length: 60 }, (_, i) =>
      peer(i % 2 ? 'p' : 'q', i % 2 ? 'q' : 'p', {
        ack: { peerReceived: true, storedOffline: true },
        offline: { expiresAt: 10_000, maxPerReceiver: 200 },
      }),
    );
    const results = await Promise.all(sends.map((input, i) => nodes[i % 2]!.messages.store(input, 0)));
    assert.deepEqual(results.map((r) => r.message.seq).sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.equal(results.filter((r) => r.duplicate).length, 0);
    const history = await nodes[1]!.messages.history('a', peerConversation('p', 'q'), 'p', 100);
    assert.deepEqual(history.messages.map((m) => m.seq), Array.from({ length: 60 }, (_, i) => 60 - i));
    assert.equal((await nodes[0]!.messages.offlineFor('a', 'q', 0)).messages.length, 30);
    // The delivered marker of each receiver is at the newest message sent to them.
    const newestTo = (uid: string) => Math.max(...results.filter((r) => r.message.to === uid).map((r) => r.message.seq));
    const { conversations } = await nodes[0]!.conversations.list('a', 'p');
    assert.equal(conversations[0]?.peerDeliveredSeq, newestTo('q'));
  });

  it('stores a cmid racing itself on both nodes once, and refuses it racing into another conversation', async () => {
    const same = peer('r', 's');
    const raced = await Promise.all(
      Array.from({ length: 8 }, (_, i) => nodes[i % 2]!.messages.store({ ...same, id: `${same.id}-${i}` }, 0)),
    );
    assert.equal(raced.filter((r) => !r.duplicate).length, 1);
    assert.deepEqual(new Set(raced.map((r) => r.message.seq)), new Set([1]));
    assert.deepEqual(new Set(raced.map((r) => r.message.id)), new Set([raced.find((r) => !r.duplicate)!.message.id]));

    // One cmid sent to two conversations at once: one is stored, the other refused, no seq lost.
    const toT = peer('r', 't');
    const toU = { ...peer('r', 'u'), cmid: toT.cmid };
    const outcomes = await Promise.allSettled([nodes[0]!.messages.store(toT, 0), nodes[1]!.messages.store(toU, 0)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.equal((refused.reason as { reason?: string }).reason, 'INVALID_CLIENT_MESSAGE_ID');
    // The losing conversation's counter rolled back with the statement: its next message is seq 1.
    const lost = outcomes[0]!.status === 'rejected' ? toT : toU;
    assert.equal((await nodes[0]!.messages.store({ ...lost, id: `${lost.id}-again`, cmid: `${lost.cmid}-again` }, 0)).message.seq, 1);
  });

  it('numbers concurrent changes of one message from both nodes gaplessly, edits racing each other included, and keeps the reaction cap', async () => {
    const { message } = await nodes[0]!.messages.store(peer('v', 'w'), 0);
    const edits = Array.from({ length: 6 }, (_, i) =>
      nodes[i % 2]!.messages.change(
        'a',
        message.id,
        { kind: 'edit', editor: 'v', cmid: `e${i}`, message: { type: 'TEXT', text: `edit ${i}` } },
        10 + i,
      ),
    );
    const emojis = Array.from({ length: MAX_REACTIONS_PER_MESSAGE + 4 }, (_, i) =>
      nodes[i % 2]!.messages.change('a', message.id, { kind: 'reaction', uid: 'w', emoji: `e${i}`, add: true }, 20),
    );
    const [edited, reacted] = await Promise.all([Promise.all(edits), Promise.allSettled(emojis)]);
    const accepted = reacted.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ changeSeq: number }>).value);
    assert.equal(accepted.length, MAX_REACTIONS_PER_MESSAGE);
    for (const r of reacted) if (r.status === 'rejected') assert.equal((r.reason as { reason?: string }).reason, 'INVALID_REACTION');
    const seqs = [...edited, ...accepted].map((r) => r.changeSeq).sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
    // The message ends as the edit that took the last edit's change number.
    const last = edited.reduce((a, b) => (a.changeSeq > b.changeSeq ? a : b));
    const found = await nodes[1]!.messages.find('a', message.id);
    assert.deepEqual(found?.message.message, last.message.message);
    assert.equal(found?.message.reactions?.length, MAX_REACTIONS_PER_MESSAGE);
  });
});
