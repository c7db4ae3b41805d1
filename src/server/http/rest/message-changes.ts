import {
  checkMessageId,
  parseRestEdit,
  parseRestRetract,
  type RestChangeCode,
  type RestMessageChangeBody,
  type StoredMessage,
} from '../../../protocol/index.js';
import { editMessage, retractMessage, type Actor, type ChangeContext } from '../../messaging/changes.js';
import type { RestAuth } from './auth.js';
import { cmidOf } from './messages.js';

/**
 * `POST …/rtm/messages/<message_id>/retract` and `…/edit`: the gateway's retract and edit, for a
 * backend. The shared operations store the change, push `message.changed` to every connection of
 * the conversation and record the webhook event (`source: "rest"`), as for a change from the SDK.
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
