import { expect } from '@open-wc/testing';
import { highest, openDatabase, settled, write } from '../../src/store/persistence/indexed-db.js';

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

  async function open(name = uniqueName(), onVersionChange = () => {}): Promise<IDBDatabase> {
    const db = await openDatabase(
      name,
      1,
      (created, oldVersion) => {
        expect(oldVersion).to.equal(0);
        created.createObjectStore('items', { keyPath: 'id' }).createIndex('byRank', ['group', 'rank']);
      },
      onVersionChange,
    );
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
  });

  it('tells the open database when another wants a newer version', async () => {
    const name = uniqueName();
    let told = false;
    const db = await open(name, () => {
      told = true;
      db.close();
    });
    const newer = await settled(indexedDB.open(name, 2));
    newer.close();
    expect(told).to.equal(true);
  });
});
