/**
 * rtm-chat's ESM entry: element classes, the session store, the transport core and protocol types.
 * Importing it has no side effects; import `rtm-chat/define` (or `./define.js`) to register the tags.
 */
export { RtmChatElement, type TokenProvider } from './elements/rtm-chat/rtm-chat.js';
export { RtmChannelElement } from './elements/rtm-channel/rtm-channel.js';
export { RtmAttachmentElement } from './elements/rtm-attachment/rtm-attachment.js';
export { RtmComposerElement, RtmComposerFilesEvent, RtmComposerSubmitEvent } from './elements/rtm-composer/rtm-composer.js';
export { RtmConversationListElement, RtmConversationSelectEvent } from './elements/rtm-conversation-list/rtm-conversation-list.js';
export {
  RtmMessageActionEvent,
  RtmMessageListElement,
  RtmMessageRetryEvent,
  RtmQuoteActivateEvent,
  registerMessageRenderer,
  setMapLink,
  type CustomMessageRenderer,
  type MessageAction,
} from './elements/rtm-message-list/rtm-message-list.js';
export {
  RtmConnectionChangeEvent,
  RtmMessageEvent,
  RtmErrorEvent,
  RtmUnreadChangeEvent,
  RtmInvitationEvent,
  type RtmInvitationDetail,
  type RtmConnectionChangeDetail,
  type RtmMessageDetail,
  type RtmErrorDetail,
  type RtmUnreadChangeDetail,
} from './elements/events.js';
export { registerLocale, availableLocales } from './elements/internal/locale.js';
export * from './store/index.js';
export * from './client/index.js';
export {
  RtmError,
  ErrorCodes,
  CloseCodes,
  type ErrorCode,
  type ErrorReason,
  MAX_ID_LENGTH,
  MAX_MESSAGE_BYTES,
  MAX_MEDIA_BYTES,
  checkUserId,
  checkChannelName,
  isValidUserId,
  isValidChannelName,
} from './protocol/index.js';
