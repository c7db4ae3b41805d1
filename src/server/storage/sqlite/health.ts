import type { HealthStore } from '../types.js';
import type { SqliteDatabase } from './driver.js';

export function createSqliteHealthStore(db: SqliteDatabase): HealthStore {
  const touch = db.prepare(`
    INSERT INTO health (id, checked_at) VALUES (1, ?)
    ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`);
  return {
    async checkWritable(now) {
      // A real write: a read-only file, a full disk or a closed handle all throw here.
      touch.run(now);
    },
  };
}
