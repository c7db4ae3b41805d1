import type { MediaStore } from '../types.js';
import { toMediaRecord, type MediaRow } from '../rows/media.js';
import { rows, run, type PgPool } from './database.js';

export function createPostgresMediaStore(pool: PgPool): MediaStore {
  return {
    async insert(record) {
      await run(
        pool,
        `INSERT INTO media (media_id, app_id, uploader, size, content_type, width, height, sha256, uploaded_at, expires_at)
         VALUES (@mediaId, @appId, @uploader, @size, @contentType, @width, @height, @sha256, @uploadedAt, @expiresAt)`,
        { ...record, width: record.width ?? null, height: record.height ?? null },
      );
    },
    async get(mediaId) {
      const [row] = await rows<MediaRow>(pool, 'SELECT * FROM media WHERE media_id = @mediaId', { mediaId });
      return row && toMediaRecord(row);
    },
    async listExpired(now, limit) {
      // Served by media_by_expiry.
      const found = await rows<{ media_id: string }>(
        pool,
        'SELECT media_id FROM media WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit',
        { now, limit },
      );
      return found.map((row) => row.media_id);
    },
    async existing(mediaIds) {
      if (mediaIds.length === 0) return new Set();
      const found = await rows<{ media_id: string }>(pool, 'SELECT media_id FROM media WHERE media_id = ANY(@ids::text[])', {
        ids: [...mediaIds],
      });
      return new Set(found.map((row) => row.media_id));
    },
    async delete(mediaIds) {
      if (mediaIds.length === 0) return 0;
      return run(pool, 'DELETE FROM media WHERE media_id = ANY(@ids::text[])', { ids: [...new Set(mediaIds)] });
    },
  };
}
