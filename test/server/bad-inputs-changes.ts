/**
 * The set-up and the check of the corpus's `messageChange` cases, shared by the gateway and REST
 * runners: a message between the runner's user and another, in the state the case describes.
 */
import assert from 'node:assert/strict';
import type { StoredMessage } from '../../src/protocol/index.js';
import type { MessageChangeSpec } from '../fixtures/bad-inputs/load-node.js';
import { text, type TestClient } from './helpers.js';

/** The runner's user (`self`, who sends the change) and the other user of the conversation. */
export interface ChangePair {
  self: TestClient;
  selfId: string;
  other: TestClient;
  otherId: string;
}

/**
 * Stores the message and brings it into `spec`'s state: retracted by its sender, deleted for
 * `self`, then the clock moved on. Takes the pushes that causes, so a later push means a change.
 * Returns the message as `other` sees it, the state the refused change must leave.
 */
export async function storeForChange(
  pair: ChangePair,
  spec: MessageChangeSpec,
  clock: { advance(ms: number): void },
  cmid: string,
): Promise<StoredMessage> {
  const [sender, receiver, to] = spec.sentBy === 'peer' ? [pair.other, pair.self, pair.selfId] : [pair.self, pair.other, pair.otherId];
  const message = spec.message ?? text('change me');
  const { messageId } = await sender.requestOk({ t: 'peer.send', to, cmid, message: message as never, offline: false });
  await receiver.next('peer.message', { where: (f) => f.message.id === messageId });
  if (spec.retracted) {
    await sender.requestOk({ t: 'message.retract', messageId });
    await receiver.next('message.changed', { where: (f) => f.message.id === messageId });
  }
  if (spec.deletedForMe) await pair.self.requestOk({ t: 'message.delete', messageId });
  clock.advance(spec.ageMs ?? 0);
  const stored = await otherView(pair);
  assert.equal(stored.id, messageId);
  return stored;
}

/** The newest message of the pair's conversation, as `other` (who deleted nothing) sees it. */
async function otherView(pair: ChangePair): Promise<StoredMessage> {
  return (await pair.other.requestOk({ t: 'history', peer: pair.selfId, limit: 1 })).messages[0]!;
}

/** After a refused change: the message is exactly as it was, and nobody was told of a change. */
export async function assertUnchanged(pair: ChangePair, before: StoredMessage): Promise<void> {
  assert.deepEqual(await otherView(pair), before, 'the message is exactly as it was');
  await pair.other.expectNone('message.changed', 30);
  await pair.self.expectNone('message.changed', 0);
}
