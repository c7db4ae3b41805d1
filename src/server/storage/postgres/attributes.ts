import type { AttributeStore } from '../types.js';
import { planAttributeWrite, toStoredAttribute, type AttributeRow } from '../rows/attributes.js';
import { inTransaction, rows, run, type Queryable, type PgPool } from './database.js';

const SELECT_ALL = `SELECT key, value, updated_by, updated_at FROM attributes
  WHERE app_id = @appId AND owner_kind = @kind AND owner = @owner ORDER BY key`;

export function createPostgresAttributeStore(pool: PgPool): AttributeStore {
  const read = async (db: Queryable, appId: string, kind: string, owner: string) =>
    (await rows<AttributeRow>(db, SELECT_ALL, { appId, kind, owner })).map(toStoredAttribute);

  return {
    async read(appId, owner, keys) {
      if (keys === undefined) return read(pool, appId, owner.kind, owner.id);
      const found = await rows<AttributeRow>(
        pool,
        `SELECT key, value, updated_by, updated_at FROM attributes
         WHERE app_id = @appId AND owner_kind = @kind AND owner = @owner AND key = ANY(@keys::text[]) ORDER BY key`,
        { appId, kind: owner.kind, owner: owner.id, keys: [...keys] },
      );
      return found.map(toStoredAttribute);
    },
    write(appId, owner, write, by, now) {
      return inTransaction(pool, async (client) => {
        // Writers of one owner take turns (nodes included), so the limits hold: a row lock cannot
        // stand in, because an owner without attributes has no row to lock.
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`attributes/${appId}/${owner.kind}/${owner.id}`]);
        const params = { appId, kind: owner.kind, owner: owner.id };
        const plan = planAttributeWrite(owner.kind, await read(client, appId, owner.kind, owner.id), write);
        if (plan.deleteAll) await run(client, 'DELETE FROM attributes WHERE app_id = @appId AND owner_kind = @kind AND owner = @owner', params);
        if (plan.deleteKeys.length > 0) {
          await run(client, 'DELETE FROM attributes WHERE app_id = @appId AND owner_kind = @kind AND owner = @owner AND key = ANY(@keys::text[])', {
            ...params,
            keys: plan.deleteKeys,
          });
        }
        if (plan.upsert.length > 0) {
          await run(
            client,
            `INSERT INTO attributes (app_id, owner_kind, owner, key, value, updated_by, updated_at)
             SELECT @appId, @kind, @owner, k, v, @by, @now FROM unnest(@keys::text[], @values::text[]) AS u(k, v)
             ON CONFLICT (app_id, owner_kind, owner, key) DO UPDATE
             SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
            { ...params, by, now, keys: plan.upsert.map(([key]) => key), values: plan.upsert.map(([, value]) => value) },
          );
        }
        return read(client, appId, owner.kind, owner.id);
      });
    },
  };
}
