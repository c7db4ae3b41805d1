import type { AppRecord, AppStore } from '../types.js';
import { toAppRecord, type AppRow } from '../rows/apps.js';
import type { SqliteDatabase } from './driver.js';

export function createSqliteAppStore(db: SqliteDatabase): AppStore {
  const list = db.prepare('SELECT * FROM apps ORDER BY id');
  const get = db.prepare('SELECT * FROM apps WHERE id = ?');
  const upsert = db.prepare(`
    INSERT INTO apps (id, rest_key, rest_secret, token_secret, allowed_origins, created_at)
    VALUES (@id, @restKey, @restSecret, @tokenSecret, @allowedOrigins, @createdAt)
    ON CONFLICT (id) DO UPDATE SET
      rest_key = excluded.rest_key,
      rest_secret = excluded.rest_secret,
      token_secret = excluded.token_secret,
      allowed_origins = excluded.allowed_origins`);
  const insert = db.prepare(`
    INSERT INTO apps (id, rest_key, rest_secret, token_secret, allowed_origins, created_at)
    VALUES (@id, @restKey, @restSecret, @tokenSecret, @allowedOrigins, @createdAt)
    ON CONFLICT (id) DO NOTHING`);
  const params = (app: AppRecord) => ({ ...app, allowedOrigins: JSON.stringify(app.allowedOrigins) });

  return {
    async list() {
      return (list.all() as AppRow[]).map(toAppRecord);
    },
    async get(id) {
      const row = get.get(id) as AppRow | undefined;
      return row && toAppRecord(row);
    },
    async upsert(app) {
      upsert.run(params(app));
    },
    async insertIfMissing(app) {
      return insert.run(params(app)).changes === 1;
    },
  };
}
