/**
 * The transport core of rtm-chat: an Agora RTM 1.x–style client over one WebSocket to an rtm-chat
 * server. No DOM and no Lit: it runs in pages and Workers alike.
 *
 * @example
 * import { RtmChat } from './client/index.js';
 * const client = RtmChat.createInstance('demo', { server: 'https://chat.example.com' });
 * await client.login({ uid: 'alice', token });
 */
import { RtmError } from '../protocol/index.js';
import { createInstance } from './client.js';
import { LOG_FILTER_DEBUG, LOG_FILTER_ERROR, LOG_FILTER_INFO, LOG_FILTER_OFF, LOG_FILTER_WARNING } from './log.js';
import { ConnectionChangeReason, ConnectionState } from './states.js';

export {
  RtmClient,
  createInstance,
  type HistoryPage,
  type HistoryQuery,
  type PeerMessageProps,
  type PeerSendOptions,
  type PeerSendResult,
  type RtmClientEvents,
  type PeerSubscriptionOption,
  type RtmClientOptions,
  type RtmConfig,
  type SyncedMessageProps,
} from './client.js';
export type { ReadStateEvents, RtmOfflineMessages } from './events.js';
export type { ConversationTarget } from './conversation-target.js';
export type {
  MemberReadState,
  ReadState,
  RtmChannelReadState,
  RtmConversation,
  RtmConversationList,
  RtmMessageReceipt,
  SyncPage,
  SyncQuery,
} from './read-state.js';
export type {
  ChangeEvents,
  ChangesQuery,
  RtmChangesPage,
  RtmCommand,
  RtmDeletedMessage,
  RtmMessageChange,
  RtmReactionChange,
} from './changes.js';
export type { RtmSearchHit, SearchQuery } from './change-requests.js';
export type { ChannelMemberCountResult, PeerStatus, PeersOnlineStatus, PeersOnlineStatusResult } from './presence.js';
export type { RtmTypingIndicator } from './typing.js';
export type {
  AttributesMap,
  ChannelAttribute,
  ChannelAttribute as ChannelAttributeProperties,
  ChannelAttributeOptions,
  ChannelAttributes,
} from './attributes.js';
export { LocalInvitation, type LocalInvitationEvents } from './local-invitation.js';
export type { RemoteInvitation, RemoteInvitationEvents } from './invitations.js';
export type {
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from '../protocol/index.js';
export {
  RtmChannel,
  type ChannelMessageProps,
  type ChannelSendOptions,
  type ChannelSendResult,
  type RtmChannelEvents,
} from './channel.js';
export {
  createMessage,
  type ReceivedMessage,
  type RtmMessage,
  type RtmMessageInit,
  type RtmCustomMessage,
  type RtmLocationMessage,
  type RtmMessageFields,
  type RtmRawMessage,
  type RtmRetractedMessage,
  type RtmSendableMessage,
  type RtmTextMessage,
} from './messages.js';
export {
  type MediaMessageParams,
  type MediaTransferHandler,
  type MediaUploadHandler,
  checkMediaSize,
} from './media/media-client.js';
export {
  thumbnailDataUrl,
  type RtmAudioMessage,
  type RtmFileMessage,
  type RtmImageMessage,
  type RtmMediaMessage,
  type RtmVideoMessage,
  type RtmMediaMessageFields,
  type RtmMediaMessageInit,
} from './media/media-message.js';
export { createThumbnail } from './media/images-on-demand.js';
export type { ImageThumbnail } from './media/thumbnail.js';
export type { MediaOperationProgress } from './media/upload.js';
export type { MediaInfo } from '../protocol/index.js';
export { ConnectionChangeReason, ConnectionState } from './states.js';
export { TypedEmitter, type EventMap } from './emitter.js';
export { createClientMessageId } from './ids.js';
export { backoffDelay, retryPause, type BackoffOptions } from './backoff.js';
export {
  LOG_FILTER_DEBUG,
  LOG_FILTER_ERROR,
  LOG_FILTER_INFO,
  LOG_FILTER_OFF,
  LOG_FILTER_WARNING,
  type LogFilter,
} from './log.js';
export type { WebSocketConstructor, WebSocketLike } from './socket.js';
export { shareConnection, type SharedConnection } from './tabs/share-connection.js';
export { RtmError };

/**
 * The namespace-style entry, as the Agora SDK's `AgoraRTM` global: `RtmChat.createInstance(...)`,
 * plus the state and reason enums, the log filters and the error class.
 *
 * @example
 * const client = RtmChat.createInstance('demo', { server, logFilter: RtmChat.LOG_FILTER_INFO });
 */
export const RtmChat = Object.freeze({
  createInstance,
  ConnectionState,
  ConnectionChangeReason,
  RtmError,
  LOG_FILTER_OFF,
  LOG_FILTER_ERROR,
  LOG_FILTER_WARNING,
  LOG_FILTER_INFO,
  LOG_FILTER_DEBUG,
});
