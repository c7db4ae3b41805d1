/**
 * A new client message id (the idempotency key of a send): a random UUID, whose characters
 * (`0-9 a-f -`) sit inside the protocol's client message id alphabet `[A-Za-z0-9_-]`.
 * `crypto.randomUUID()` exists only in secure contexts (a page served over plain http from a
 * non-local host lacks it), so fall back to 128 bits from `crypto.getRandomValues` as hex.
 *
 * @example
 * await client.sendMessageToPeer(msg, 'bob', { clientMessageId: createClientMessageId() });
 */
export function createClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
