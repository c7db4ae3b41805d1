import type { AppRecord } from '../types.js';

/** An `apps` row as both engines return it (same columns in SQLite and PostgreSQL). */
export interface AppRow {
  id: string;
  rest_key: string;
  rest_secret: string;
  token_secret: string;
  allowed_origins: string;
  created_at: number;
}

export function toAppRecord(row: AppRow): AppRecord {
  return {
    id: row.id,
    restKey: row.rest_key,
    restSecret: row.rest_secret,
    tokenSecret: row.token_secret,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    createdAt: row.created_at,
  };
}
