import {
  checkUserId,
  parseRestChannelMessage,
  parseRestPeerMessage,
  parseWaitForAck,
  restTextMessage,
  RtmError,
  type RestMessageCode,
  type RestSuccessBody,
} from '../../../protocol/index.js';
import { deliverChannelMessage, deliverPeerMessage, storeChannelMessage, storePeerMessage, type SendContext } from '../../messaging/deliver.js';
import { deliverTransientPeer, sendTransientChannel, sendTransientPeer } from '../../messaging/transient.js';

export interface RestSendDeps {
  send: SendContext;
  /** How long `wait_for_ack=true` waits for the receiver's client (REST_ACK_TIMEOUT_MS). */
  ackTimeoutMs: number;
}

function success(requestId: string, code: RestMessageCode): RestSuccessBody {
  return { result: 'success', request_id: requestId, code };
}

/**
 * The client message id of what a request stores (a message, an edit): unique per request, within
 * `[A-Za-z0-9_-]{1,64}`. Agora's API has no idempotency key: a request sent twice acts twice.
 */
export const cmidOf = (requestId: string) => `rest-${requestId}`;

/** Checks the `<user_id>` of a path: the sender, or whose history is read. */
export function checkUrlUserId(userId: string): void {
  const invalid = checkUserId(userId, 'The <user_id> in the URL');
  if (invalid) throw invalid;
}

/**
 * `peer_messages`: stored and delivered exactly like a `peer.send` from the SDK (history, unread
 * counts, offline copy, delivery marker and receipt), then answered:
 * - `wait_for_ack=false` (default): `message_sent` once it is committed;
 * - `wait_for_ack=true`: `message_offline` when the receiver has no connection, otherwise
 *   `message_delivered` once one of their clients confirmed it, or 408 DELIVERY_TIMEOUT.
 * With `transient` nothing is stored (and no webhook event recorded): the message goes to the
 * receiver's open connections and the answers are the same (`message_offline`: nobody got it).
 */
export async function sendPeerMessage(
  deps: RestSendDeps,
  input: { appId: string; userId: string; requestId: string; body: unknown; waitForAck: unknown },
): Promise<{ status: number; body: RestSuccessBody }> {
  checkUrlUserId(input.userId);
  const waitForAck = parseWaitForAck(input.waitForAck);
  const request = parseRestPeerMessage(input.body);
  const send = {
    appId: input.appId,
    from: input.userId,
    to: request.destination,
    cmid: cmidOf(input.requestId),
    message: restTextMessage(request.payload),
    offline: request.enable_offline_messaging,
  };
  let result;
  if (request.transient) {
    result = await sendTransientPeer(deps.send, send);
    deliverTransientPeer(deps.send, send, result);
  } else {
    result = await storePeerMessage(deps.send, send);
    deliverPeerMessage(deps.send, send, result);
    void deps.send.webhooks?.messageSent(input.appId, 'rest', result);
  }
  if (!waitForAck) return { status: 200, body: success(input.requestId, 'message_sent') };
  if (!result.ack.peerReceived) return { status: 200, body: success(input.requestId, 'message_offline') };
  // Same tick as the delivery: the connections asked to confirm are the ones that were sent it.
  const confirmed = await deps.send.presence.confirmReceived(input.appId, send.to, deps.ackTimeoutMs);
  if (!confirmed) {
    throw new RtmError(
      'DELIVERY_TIMEOUT',
      `"${send.to}" is online but no client of theirs confirmed the message within ${deps.ackTimeoutMs} ms. ` +
        (request.transient
          ? 'It was transient, so it is not stored; it may still arrive.'
          : 'It is stored (history, unread counts); sending again would store it twice.'),
    );
  }
  return { status: 200, body: success(input.requestId, 'message_delivered') };
}

/**
 * `channel_messages`: stored like a `channel.send` (channel history, members' unread counts) and
 * pushed to every joined connection; the sender need not be a member. Answers `message_sent`.
 * With `transient` it is only pushed (stored nowhere, no webhook event).
 */
export async function sendChannelMessage(
  deps: RestSendDeps,
  input: { appId: string; userId: string; requestId: string; body: unknown },
): Promise<{ status: number; body: RestSuccessBody }> {
  checkUrlUserId(input.userId);
  const request = parseRestChannelMessage(input.body);
  const send = {
    appId: input.appId,
    from: input.userId,
    channel: request.channel_name,
    cmid: cmidOf(input.requestId),
    message: restTextMessage(request.payload),
  };
  if (request.transient) {
    deliverChannelMessage(deps.send, send, await sendTransientChannel(deps.send, send));
  } else {
    const result = await storeChannelMessage(deps.send, send);
    deliverChannelMessage(deps.send, send, result);
    void deps.send.webhooks?.messageSent(input.appId, 'rest', result);
  }
  return { status: 200, body: success(input.requestId, 'message_sent') };
}
