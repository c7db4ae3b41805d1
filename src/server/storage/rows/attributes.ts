import { applyAttributeWrite, type AttributeOwner, type AttributeWrite } from '../../../protocol/index.js';
import type { StoredAttribute } from '../types.js';

/** An `attributes` row as both adapters read it (PostgreSQL's BIGINT arrives as a string). */
export interface AttributeRow {
  key: string;
  value: string;
  updated_by: string;
  updated_at: number | string;
}

export function toStoredAttribute(row: AttributeRow): StoredAttribute {
  return { key: row.key, value: row.value, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) };
}

/** What a write does to an owner's rows, once checked against its limits. */
export interface AttributeWritePlan {
  /** Remove every row of the owner first (`set`, `clear`). */
  deleteAll: boolean;
  deleteKeys: string[];
  /** Rows to insert or replace, with the writer and the time. */
  upsert: [key: string, value: string][];
}

/**
 * Checks `write` against the owner's current attributes and its limits (throwing
 * TOO_MANY_ATTRIBUTES or ATTRIBUTES_TOO_LARGE) and says which rows change. Both adapters run it
 * inside the transaction that holds the owner's rows.
 */
export function planAttributeWrite(kind: AttributeOwner, current: readonly StoredAttribute[], write: AttributeWrite): AttributeWritePlan {
  applyAttributeWrite(kind, new Map(current.map((a) => [a.key, a.value])), write);
  switch (write.op) {
    case 'set':
      return { deleteAll: true, deleteKeys: [], upsert: Object.entries(write.attributes) };
    case 'update':
      return { deleteAll: false, deleteKeys: [], upsert: Object.entries(write.attributes) };
    case 'delete':
      return { deleteAll: false, deleteKeys: write.keys, upsert: [] };
    case 'clear':
      return { deleteAll: true, deleteKeys: [], upsert: [] };
  }
}
