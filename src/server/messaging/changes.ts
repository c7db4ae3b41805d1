import {
  RETRACT_WINDOW_MS,
  RtmError,
  type MessageChangeKind,
  type StoredMessage,
  type WireTextMessage,
} from '../../protocol/index.js';
import type { ChangeResult, ConversationStore, FoundMessage, MessageUpdate } from '../storage/types.js';
import type { SendContext } from './deliver.js';
import type { RoutedConnection } from './presence-router.js';

/**
 * Changing a stored message — retract, edit, react, delete for me — shared by the gateway and the
 * REST API: who may do what, the write (one transaction in the store), then the push to every
 * connection of the conversation and the webhook event. The acting connection (`via`) gets the
 * result in its reply instead of a push.
 */
export interface ChangeContext extends SendContext {
  conversations: ConversationStore;
}

/** Who asks: a logged-in user (from a connection or the REST API on their behalf), or the app's backend. */
export type Actor = UserActor | { backend: true };

export interface UserActor {
  uid: string;
  /** The acting connection, for gateway requests. */
  via?: RoutedConnection;
  source: 'sdk' | 'rest';
}

function actingUid(actor: Actor): string | undefined {
  return 'uid' in actor ? actor.uid : undefined;
}

/** `user`: the caller is a user, who only finds messages of their conversations; else the backend. */
function notFound(messageId: string, user = true): RtmError {
  const where = user ? 'in a conversation of yours' : 'in this app';
  return new RtmError('MESSAGE_NOT_FOUND', `No message "${messageId}" ${where}.`);
}

/**
 * The message, when `uid` takes part in its conversation: a peer message they sent or received,
 * or a channel message (with `asMember`, only for a persistent member of the channel). Anything
 * else is "not found", so ids of other people's conversations reveal nothing.
 */
async function findFor(ctx: ChangeContext, appId: string, messageId: string, actor: Actor, asMember: boolean): Promise<FoundMessage> {
  const uid = actingUid(actor);
  const found = await ctx.messages.find(appId, messageId, uid);
  if (!found) throw notFound(messageId, uid !== undefined);
  if (uid === undefined) return found;
  const { message } = found;
  if (message.channel !== undefined) {
    if (asMember && !(await ctx.conversations.isMember(appId, message.channel, uid))) throw notFound(messageId);
  } else if (message.from !== uid && message.to !== uid) {
    throw notFound(messageId);
  }
  return found;
}

function requireSender(message: StoredMessage, actor: Actor, what: string): void {
  const uid = actingUid(actor);
  if (uid !== undefined && message.from !== uid) {
    throw new RtmError('NOT_MESSAGE_SENDER', `Only the sender (${message.from}) can ${what} this message.`);
  }
}

/** Pushes the changed message to both users of a peer conversation, or to the joined connections of a channel. */
function publish(ctx: ChangeContext, appId: string, message: StoredMessage, change: MessageChangeKind, actor: Actor): void {
  const frame = { t: 'message.changed', message, change } as const;
  const via = 'uid' in actor ? actor.via : undefined;
  if (message.channel !== undefined) {
    ctx.presence.sendToChannel(appId, message.channel, frame, via);
    return;
  }
  ctx.presence.sendToUser(appId, message.from, frame, via);
  if (message.to !== undefined && message.to !== message.from) ctx.presence.sendToUser(appId, message.to, frame, via);
}

function sourceOf(actor: Actor): 'sdk' | 'rest' {
  return 'uid' in actor ? actor.source : 'rest';
}

/**
 * Retracts a message: a user only their own, within RETRACT_WINDOW_MS of its server time; the
 * app's backend any message at any time (moderation). Retracting a retracted message succeeds
 * and changes nothing.
 */
export async function retractMessage(ctx: ChangeContext, appId: string, messageId: string, actor: Actor): Promise<ChangeResult> {
  const { message } = await findFor(ctx, appId, messageId, actor, false);
  requireSender(message, actor, 'retract');
  const alreadyRetracted = message.retractedAt !== undefined;
  if (!alreadyRetracted && 'uid' in actor && ctx.now() - message.ts > RETRACT_WINDOW_MS) {
    throw new RtmError(
      'RETRACT_WINDOW_PASSED',
      `A message can be retracted within ${RETRACT_WINDOW_MS / 60_000} minutes of being sent; this one is older.`,
    );
  }
  const result = await ctx.messages.change(appId, messageId, { kind: 'retract' }, ctx.now());
  if (result.changed) {
    publish(ctx, appId, result.message, { kind: 'retracted' }, actor);
    void ctx.webhooks?.messageRetracted(appId, sourceOf(actor), result.message);
  }
  return result;
}

/** Replaces the text of a TEXT message: a user only their own; the backend any. Last edit wins. */
export async function editMessage(
  ctx: ChangeContext,
  appId: string,
  messageId: string,
  actor: Actor,
  edit: { cmid: string; message: WireTextMessage },
): Promise<ChangeResult> {
  const { message } = await findFor(ctx, appId, messageId, actor, false);
  requireSender(message, actor, 'edit');
  if (message.message.type === 'RETRACTED') throw new RtmError('MESSAGE_RETRACTED', 'The message was retracted; it can no longer be edited.');
  if (message.message.type !== 'TEXT') {
    throw new RtmError('MESSAGE_NOT_EDITABLE', `Only TEXT messages can be edited; this one is ${message.message.type}.`);
  }
  const editor = actingUid(actor) ?? '';
  const update: MessageUpdate = { kind: 'edit', editor, cmid: edit.cmid, message: edit.message };
  const result = await ctx.messages.change(appId, messageId, update, ctx.now());
  if (result.changed) {
    publish(ctx, appId, result.message, { kind: 'edited' }, actor);
    void ctx.webhooks?.messageEdited(appId, sourceOf(actor), result.message);
  }
  return result;
}

/** Adds or removes `uid`'s reaction; in a channel only members react. */
export async function setReaction(
  ctx: ChangeContext,
  appId: string,
  messageId: string,
  actor: UserActor,
  reaction: { emoji: string; add: boolean },
): Promise<ChangeResult> {
  await findFor(ctx, appId, messageId, actor, true);
  const update: MessageUpdate = { kind: 'reaction', uid: actor.uid, ...reaction };
  const result = await ctx.messages.change(appId, messageId, update, ctx.now());
  if (result.changed) {
    const change = { kind: 'reaction', uid: actor.uid, emoji: reaction.emoji, added: reaction.add } as const;
    publish(ctx, appId, result.message, change, actor);
    void ctx.webhooks?.reactionChanged(appId, sourceOf(actor), result.message, change);
  }
  return result;
}

/**
 * Deletes a message for `uid` only: gone from their history, changes and conversation preview;
 * their other connections drop it now, the ones that were away at their next `changes`.
 */
export async function deleteForMe(
  ctx: ChangeContext,
  appId: string,
  messageId: string,
  actor: UserActor,
): Promise<ChangeResult> {
  const found = await ctx.messages.find(appId, messageId);
  // Deleting again (for the same user) is a success that changes nothing.
  if (!found) throw notFound(messageId);
  const { message } = found;
  if (message.channel === undefined && message.from !== actor.uid && message.to !== actor.uid) throw notFound(messageId);
  const result = await ctx.messages.change(appId, messageId, { kind: 'delete', uid: actor.uid }, ctx.now());
  if (result.changed) {
    const ref = message.channel !== undefined ? { channel: message.channel } : { peer: message.from === actor.uid ? (message.to as string) : message.from };
    ctx.presence.sendToUser(
      appId,
      actor.uid,
      { t: 'message.deleted', messageId, seq: message.seq, changeSeq: result.changeSeq, ...ref },
      actor.via,
    );
  }
  return result;
}
