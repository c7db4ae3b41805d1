/**
 * The few promise wrappers over IndexedDB that the cache needs. Hand-written rather than a wrapper
 * library: the cache makes a handful of requests, and the widget's script-tag bundle has a size
 * budget.
 */

/** Settles with the request's result, or rejects with its error. */
export function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Settles once the transaction committed; rejects when it failed or was aborted. */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

/**
 * Opens (creating or upgrading) a database. `upgrade` runs inside the version change;
 * `onVersionChange` runs when another tab wants a newer version (close the database to let it).
 */
export function openDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase, oldVersion: number) => void,
  onVersionChange: () => void,
): Promise<IDBDatabase> {
  const request = indexedDB.open(name, version);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  return settled(request).then((db) => {
    db.onversionchange = onVersionChange;
    return db;
  });
}

/** Runs `change` on `store` in a read-write transaction; settles once it committed. */
export function write(db: IDBDatabase, store: string, change: (store: IDBObjectStore) => void): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  change(tx.objectStore(store));
  return committed(tx);
}

/**
 * Up to `limit` values of an index within `range`, from the highest key down (a cursor walked
 * inside one success handler chain, so the transaction stays active throughout).
 */
export function highest<T>(index: IDBIndex, range: IDBKeyRange, limit: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const found: T[] = [];
    const request = index.openCursor(range, 'prev');
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || found.length >= limit) return resolve(found);
      found.push(cursor.value as T);
      cursor.continue();
    };
    request.onerror = () => reject(request.error);
  });
}
