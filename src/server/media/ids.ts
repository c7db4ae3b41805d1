import { randomBytes } from 'node:crypto';

/** A new media id: 128 random bits, base64url (22 characters) — unguessable, so it can be shared. */
export function newMediaId(): string {
  return randomBytes(16).toString('base64url');
}
