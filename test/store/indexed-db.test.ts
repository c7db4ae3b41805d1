import { expect } from '@open-wc/testing';
import { highest, settled, write } from '../../src/store/persistence/indexed-db.js';
import { Persistence } from '../../src/store/persistence/persistence.js';

let counter = 0;
const uniqueName = () => `rtm-chat indexed-db test ${Date.now()} ${counter++}`;

describe('IndexedDB helpers (the cache)', () => {
  const opened: IDBDatabase[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) {
      db.close();
      await settled(indexedDB.deleteDatabase(db.name) as IDBRequest<unknown>).catch(() => {});
    }
  });

  async function open(): Promise<IDBDatabase> {
    const request = indexedDB.open(uniqueName(), 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('items', { keyPath: 'id' }).createIndex('byRank', ['group', 'rank']);
    };
    const db = await settled(request);
    opened.push(db);
    return db;
  }

  it('writes in one transaction and reads back', async () => {
    const db = await open();
    await write(db, 'items', (store) => {
      store.put({ id: 'a', group: 'g', rank: 1 });
      store.put({ id: 'b', group: 'g', rank: 2 });
    });
    const all = await settled(db.transaction('items').objectStore('items').getAll());
    expect(all.map((item: { id: string }) => item.id)).to.deep.equal(['a', 'b']);
    await write(db, 'items', (store) => store.delete('a'));
    expect(await settled(db.transaction('items').objectStore('items').count())).to.equal(1);
  });

  it('reads the highest keys of an index first, up to the limit, within the range', async () => {
    const db = await open();
    await write(db, 'items', (store) => {
      for (let rank = 1; rank <= 10; rank++) store.put({ id: `g${rank}`, group: 'g', rank });
      store.put({ id: 'other', group: 'h', rank: 99 });
    });
    const index = db.transaction('items').objectStore('items').index('byRank');
    const top = await highest<{ rank: number }>(index, IDBKeyRange.bound(['g', 0], ['g', Infinity]), 3);
    expect(top.map((item) => item.rank)).to.deep.equal([10, 9, 8]);
    const fewer = await highest<{ rank: number }>(
      db.transaction('items').objectStore('items').index('byRank'),
      IDBKeyRange.bound(['h', 0], ['h', Infinity]),
      3,
    );
    expect(fewer.map((item) => item.rank)).to.deep.equal([99]);
  });

  it('rejects a failed write', async () => {
    const db = await open();
    let caught: unknown;
    try {
      // The same key added twice: the second add fails, and the transaction with it.
      await write(db, 'items', (store) => {
        store.add({ id: 'x', group: 'g', rank: 1 });
        store.add({ id: 'x', group: 'g', rank: 2 });
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(DOMException);
    expect((caught as DOMException).name).to.equal('ConstraintError');
  });

  it('keeps the outbox of the cache oldest first, and closes the cache for a newer version elsewhere', async () => {
    const name = uniqueName();
    const cache = new Persistence(() => name);
    const entry = (localId: string, createdAt: number) => ({
      conversation: 'peer:bob' as const,
      localId,
      message: { messageType: 'TEXT' as const, text: localId },
      createdAt,
    });
    await cache.enqueue(entry('second', 2));
    await cache.enqueue(entry('first', 1));
    expect((await cache.outbox()).map((e) => e.localId)).to.deep.equal(['first', 'second']);
    await cache.unqueue('first');
    expect((await cache.outbox()).map((e) => e.localId)).to.deep.equal(['second']);
    // Another tab upgrading: this open resolves only once the cache closed its connection.
    const newer = await settled(indexedDB.open(name, 2));
    opened.push(newer);
  });
});
