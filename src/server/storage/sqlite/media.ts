import type { MediaStore } from '../types.js';
import { toMediaRecord, type MediaRow } from '../rows/media.js';
import type { SqliteDatabase } from './driver.js';

export function createSqliteMediaStore(db: SqliteDatabase): MediaStore {
  const insert = db.prepare(`
    INSERT INTO media (media_id, app_id, uploader, size, content_type, width, height, sha256, uploaded_at, expires_at)
    VALUES (@mediaId, @appId, @uploader, @size, @contentType, @width, @height, @sha256, @uploadedAt, @expiresAt)`);
  const get = db.prepare('SELECT * FROM media WHERE media_id = ?');
  const exists = db.prepare('SELECT 1 FROM media WHERE media_id = ?').pluck();
  // Served by media_by_expiry.
  const expired = db.prepare('SELECT media_id FROM media WHERE expires_at <= ? ORDER BY expires_at LIMIT ?').pluck();
  const remove = db.prepare('DELETE FROM media WHERE media_id = ?');
  const removeAll = db.transaction((ids: readonly string[]) => ids.reduce((n, id) => n + remove.run(id).changes, 0));

  return {
    async insert(record) {
      insert.run({ ...record, width: record.width ?? null, height: record.height ?? null });
    },
    async get(mediaId) {
      const row = get.get(mediaId) as MediaRow | undefined;
      return row && toMediaRecord(row);
    },
    async listExpired(now, limit) {
      return expired.all(now, limit) as string[];
    },
    async existing(mediaIds) {
      return new Set(mediaIds.filter((id) => exists.get(id) !== undefined));
    },
    async delete(mediaIds) {
      return mediaIds.length === 0 ? 0 : removeAll.immediate(mediaIds);
    },
  };
}
