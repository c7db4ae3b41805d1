import type { AppRecord } from '../types.js';
import { createPostgresAppStore } from './apps.js';
import { openPostgresPool } from './database.js';

/** PostgreSQL's "undefined_table": the database was never migrated by a server. */
const UNDEFINED_TABLE = '42P01';

/**
 * One app's record from the database at `url`, for tools that only read (the `token` CLI): one
 * connection, no migration (a tool must not change the schema under running servers), closed
 * before it resolves. Undefined when there is no such app.
 */
export async function readPostgresApp(url: string, appId: string): Promise<AppRecord | undefined> {
  const pool = openPostgresPool(url, 1);
  try {
    return await createPostgresAppStore(pool).get(appId);
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) {
      throw new Error('The database in RTM_DATABASE_URL has no apps yet: run "rtm-chat-server start" with it once.');
    }
    throw error;
  } finally {
    await pool.end();
  }
}
