/**
 * The chat state of rtm-chat, in nanostores: a {@link ChatSession} per signed-in user with its
 * connection, conversation list and per-conversation messages, and the actions views call.
 * Domain logic lives here; the elements only render these stores and call these actions.
 */
export { createChatSession, type ChatSearchPage, type ChatSearchQuery, type ChatSession, type ChatSessionOptions, type SendOptions } from './session.js';
export type { ChatAttachment, ChatMessage, ChatMessageStatus } from './chat-message.js';
export type { ChatDownload, TransferSnapshot } from './transfer.js';
export type { ConversationSummary } from './conversation-list.js';
export type { ChannelReaders } from './live/readers.js';
export type { ChatProfile, ChatProfileUpdate } from './live/profiles.js';
export type { ChatInvitation, ChatInvitationState } from './live/invitations.js';
export type { ChatReceipt } from './receipts.js';
export type { ChatStoreEvent, ChatStoreListener, ConnectionSnapshot } from './events.js';
export { conversationKey, parseConversationKey, type ConversationKey, type ConversationKind } from './keys.js';
