import type { MediaRecord, MediaStore } from '../types.js';
import { rows, run, type PgPool } from './database.js';

interface MediaRow {
  media_id: string;
  app_id: string;
  uploader: string;
  size: number;
  content_type: string;
  width: number | null;
  height: number | null;
  sha256: string;
  uploaded_at: number;
  expires_at: number;
}

function toRecord(row: MediaRow): MediaRecord {
  const record: MediaRecord = {
    mediaId: row.media_id,
    appId: row.app_id,
    uploader: row.uploader,
    size: row.size,
    contentType: row.content_type,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at,
    expiresAt: row.expires_at,
  };
  if (row.width !== null) record.width = row.width;
  if (row.height !== null) record.height = row.height;
  return record;
}

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
      return row && toRecord(row);
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
