import type { HealthStore } from '../types.js';
import { run, type PgPool } from './database.js';

export function createPostgresHealthStore(pool: PgPool): HealthStore {
  return {
    async checkWritable(now) {
      // A real write: a read-only standby, a full disk or a lost connection all reject here.
      await run(pool, 'INSERT INTO health (id, checked_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at', {
        now,
      });
    },
  };
}
