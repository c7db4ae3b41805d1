import type { MediaRecord } from '../types.js';

/** A `media` row as both engines return it (same columns in SQLite and PostgreSQL). */
export interface MediaRow {
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

export function toMediaRecord(row: MediaRow): MediaRecord {
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
