import {
  checkMessageId,
  parseRestDeleteForUser,
  parseRestEdit,
  parseRestReaction,
  parseRestRetract,
  RtmError,
  type RestChangeCode,
  type RestDeleteForUserBody,
  type RestMessageChangeBody,
  type StoredMessage,
} from '../../../protocol/index.js';
import { deleteForMe, editMessage, retractMessage, setReaction, type Actor, type ChangeContext, type UserActor } from '../../messaging/changes.js';
import type { RestAuth } from './auth.js';
import { cmidOf } from './messages.js';

/**
 * `POST …/rtm/messages/<message_id>/retract`, `…/edit`, `…/reactions/add`, `…/reactions/remove`
 * and `…/delete_for_user`: the gateway's changes, for a backend. The shared operations store the
 * change, push it to the connections that hear of it from the SDK too (`message.changed` to the
 * conversation, `message.deleted` to the user who deleted), and record the webhook event
 * (`source: "rest"`), as for a change from the SDK.
 */
export interface RestChangeInput {
  appId: string;
  auth: RestAuth;
  /** The `<message_id>` of the path, unchecked. */
  messageId: string;
  requestId: string;
  body: unknown;
}

/**
 * Who acts. Basic auth holds the app's REST secret: the backend itself, which may retract any
 * message at any time (moderation) and edit any TEXT message. Token auth is one user, under the
 * rules the SDK applies to them: only their own messages, retraction within 3 minutes.
 */
function actorOf(auth: RestAuth): Actor {
  return auth.scheme === 'basic' ? { backend: true } : { uid: auth.uid, source: 'rest' };
}

function checkUrlMessageId(messageId: string): string {
  const invalid = checkMessageId(messageId, 'The <message_id> in the URL');
  if (invalid) throw invalid;
  return messageId;
}

function changed(requestId: string, code: RestChangeCode, message: StoredMessage): RestMessageChangeBody {
  return { result: 'success', request_id: requestId, code, message };
}

/** Retracts; retracting a retracted message answers the same and changes nothing. */
export async function retractFromRest(ctx: ChangeContext, input: RestChangeInput): Promise<RestMessageChangeBody> {
  const messageId = checkUrlMessageId(input.messageId);
  parseRestRetract(input.body);
  const { message } = await retractMessage(ctx, input.appId, messageId, actorOf(input.auth));
  return changed(input.requestId, 'message_retracted', message);
}

/** Replaces the text of a TEXT message; each request is a new edit (last wins). */
export async function editFromRest(ctx: ChangeContext, input: RestChangeInput): Promise<RestMessageChangeBody> {
  const messageId = checkUrlMessageId(input.messageId);
  const text = parseRestEdit(input.body);
  const edit = { cmid: cmidOf(input.requestId), message: text };
  const { message } = await editMessage(ctx, input.appId, messageId, actorOf(input.auth), edit);
  return changed(input.requestId, 'message_edited', message);
}

/**
 * The user a reaction or a deletion is for (the body's `user_id`). With Basic auth the backend may
 * name any user; with token auth only the token's own, as a send's `<user_id>` must be (and under
 * the same reason). Either way the user is then held to the SDK's rules: a peer message of theirs,
 * or, to react in a channel, membership.
 */
function onBehalfOf(auth: RestAuth, userId: string): UserActor {
  if (auth.scheme === 'token' && auth.uid !== userId) {
    throw new RtmError(
      'TOKEN_MISMATCH',
      `x-agora-uid is ${JSON.stringify(auth.uid)} but "user_id" is ${JSON.stringify(userId)}; with token auth a backend may only act as the token's user.`,
    );
  }
  return { uid: userId, source: 'rest' };
}

/**
 * Adds (`add`) or removes `user_id`'s reaction. Adding one that is there, or removing one that is
 * not, answers the same and changes nothing (no push, no webhook event), as on the gateway.
 */
export async function reactFromRest(ctx: ChangeContext, input: RestChangeInput, add: boolean): Promise<RestMessageChangeBody> {
  const messageId = checkUrlMessageId(input.messageId);
  const { userId, emoji } = parseRestReaction(input.body);
  const { message } = await setReaction(ctx, input.appId, messageId, onBehalfOf(input.auth, userId), { emoji, add });
  return changed(input.requestId, add ? 'reaction_added' : 'reaction_removed', message);
}

/**
 * Deletes a message for `user_id` only (the gateway's `message.delete`): gone from their history,
 * sync, changes and conversation preview on every device, their connections told now; the other
 * users keep it. Deleting again succeeds.
 */
export async function deleteForUserFromRest(ctx: ChangeContext, input: RestChangeInput): Promise<RestDeleteForUserBody> {
  const messageId = checkUrlMessageId(input.messageId);
  const userId = parseRestDeleteForUser(input.body);
  await deleteForMe(ctx, input.appId, messageId, onBehalfOf(input.auth, userId));
  return { result: 'success', request_id: input.requestId, code: 'message_deleted' };
}
