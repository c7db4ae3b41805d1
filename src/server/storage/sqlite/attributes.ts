import type { AttributeStore } from '../types.js';
import { planAttributeWrite, toStoredAttribute, type AttributeRow } from '../rows/attributes.js';
import type { SqliteDatabase } from './driver.js';
import type { GroupCommit } from './group-commit.js';

export function createSqliteAttributeStore(db: SqliteDatabase, writes: GroupCommit): AttributeStore {
  const all = db.prepare('SELECT key, value, updated_by, updated_at FROM attributes WHERE app_id = ? AND owner_kind = ? AND owner = ? ORDER BY key');
  const removeAll = db.prepare('DELETE FROM attributes WHERE app_id = ? AND owner_kind = ? AND owner = ?');
  const remove = db.prepare('DELETE FROM attributes WHERE app_id = ? AND owner_kind = ? AND owner = ? AND key = ?');
  const upsert = db.prepare(`
    INSERT INTO attributes (app_id, owner_kind, owner, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (app_id, owner_kind, owner, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  const read = (appId: string, kind: string, id: string) => (all.all(appId, kind, id) as AttributeRow[]).map(toStoredAttribute);

  return {
    async read(appId, owner, keys) {
      const found = read(appId, owner.kind, owner.id);
      if (keys === undefined) return found;
      const wanted = new Set(keys);
      return found.filter((attribute) => wanted.has(attribute.key));
    },
    write(appId, owner, write, by, now) {
      // In the group commit's transaction: the check and the write see the same rows (and a
      // refused write rolls back alone, to its savepoint).
      return writes.run(() => {
        const plan = planAttributeWrite(owner.kind, read(appId, owner.kind, owner.id), write);
        if (plan.deleteAll) removeAll.run(appId, owner.kind, owner.id);
        for (const key of plan.deleteKeys) remove.run(appId, owner.kind, owner.id, key);
        for (const [key, value] of plan.upsert) upsert.run(appId, owner.kind, owner.id, key, value, by, now);
        return read(appId, owner.kind, owner.id);
      });
    },
  };
}
