import { randomUUID } from 'node:crypto';

/**
 * Server message ids: random UUIDs, unique across apps and nodes without coordination (a later
 * multi-node setup needs no shared counter). Ordering comes from `seq`, not from the id.
 */
export function newMessageId(): string {
  return randomUUID();
}
