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
    // A failed request aborts its transaction (nothing here prevents that), and the abort carries
    // the cause in `error`; the cache never aborts one itself, so `error` is always set.
    tx.onabort = () => reject(tx.error);
  });
}

/** Runs `change` on `store` in a read-write transaction; settles once it committed. */
export function write(db: IDBDatabase, store: string, change: (store: IDBObjectStore) => void): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  change(tx.objectStore(store));
  return committed(tx);
}

/**
 * Up to `limit` values of an index within `range`, from the highest key down. Each step continues
 * the cursor in the microtask after its success event, while the transaction is still active.
 */
export async function highest<T>(index: IDBIndex, range: IDBKeyRange, limit: number): Promise<T[]> {
  const found: T[] = [];
  const request = index.openCursor(range, 'prev');
  for (let cursor = await settled(request); cursor && found.length < limit; cursor = await settled(request)) {
    found.push(cursor.value as T);
    cursor.continue();
  }
  return found;
}
