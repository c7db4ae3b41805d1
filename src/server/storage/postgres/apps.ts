import type { AppRecord, AppStore } from '../types.js';
import { toAppRecord, type AppRow } from '../rows/apps.js';
import { rows, run, type PgPool } from './database.js';

const INSERT = `
  INSERT INTO apps (id, rest_key, rest_secret, token_secret, allowed_origins, created_at)
  VALUES (@id, @restKey, @restSecret, @tokenSecret, @allowedOrigins, @createdAt)`;

const params = (app: AppRecord) => ({
  id: app.id,
  restKey: app.restKey,
  restSecret: app.restSecret,
  tokenSecret: app.tokenSecret,
  allowedOrigins: JSON.stringify(app.allowedOrigins),
  createdAt: app.createdAt,
});

export function createPostgresAppStore(pool: PgPool): AppStore {
  return {
    async list() {
      // Byte order, as SQLite sorts, whatever the database's collation.
      return (await rows<AppRow>(pool, 'SELECT * FROM apps ORDER BY id COLLATE "C"')).map(toAppRecord);
    },
    async get(id) {
      const [row] = await rows<AppRow>(pool, 'SELECT * FROM apps WHERE id = @id', { id });
      return row && toAppRecord(row);
    },
    async upsert(app) {
      await run(
        pool,
        `${INSERT} ON CONFLICT (id) DO UPDATE SET
           rest_key = excluded.rest_key,
           rest_secret = excluded.rest_secret,
           token_secret = excluded.token_secret,
           allowed_origins = excluded.allowed_origins`,
        params(app),
      );
    },
    async insertIfMissing(app) {
      return (await run(pool, `${INSERT} ON CONFLICT (id) DO NOTHING`, params(app))) === 1;
    },
  };
}
