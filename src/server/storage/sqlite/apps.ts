import type { AppRecord, AppStore } from '../types.js';
import type { SqliteDatabase } from './driver.js';

interface AppRow {
  id: string;
  rest_key: string;
  rest_secret: string;
  token_secret: string;
  allowed_origins: string;
  created_at: number;
}

function toRecord(row: AppRow): AppRecord {
  return {
    id: row.id,
    restKey: row.rest_key,
    restSecret: row.rest_secret,
    tokenSecret: row.token_secret,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    createdAt: row.created_at,
  };
}

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
      return (list.all() as AppRow[]).map(toRecord);
    },
    async get(id) {
      const row = get.get(id) as AppRow | undefined;
      return row && toRecord(row);
    },
    async upsert(app) {
      upsert.run(params(app));
    },
    async insertIfMissing(app) {
      return insert.run(params(app)).changes === 1;
    },
  };
}
