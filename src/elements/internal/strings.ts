/**
 * The user-visible English strings of the elements that are in the script-tag bundle itself, in
 * one place, so a localization pass (and the accessible names the tests and the public contract
 * rely on) has a list to work from. Views loaded on demand keep theirs beside them
 * (`*.strings.ts`: the attachment view, the popup, the conversation list, the actions menu), so
 * they load with them.
 */
export const strings = {
  message: 'Message',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  retry: 'Retry',
  retrySending: 'Retry sending',
  you: 'You',
  messages: (title: string) => `Messages with ${title}`,
  noMessages: 'No messages yet. Say hello!',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  disconnected: 'Disconnected. Messages will not be sent until you reconnect.',
  reconnect: 'Reconnect',
  loginFailed: (reason: string) => `Could not sign in: ${reason}`,
  notConfigured: 'Set server, app-id, user-id and token on <rtm-chat> to start chatting.',
  noConversation: 'Choose a conversation.',
  attachFile: 'Attach file',
  recordVoice: 'Record voice message',
  sendVoice: 'Send voice message',
  uploading: 'Uploading…',
  cancel: 'Cancel',
  download: 'Download',
  unreadSuffix: ' unread',
  back: 'Back to conversations',
  delivered: 'Delivered',
  read: 'Read',
  readBy: (count: number) => `Read by ${count}`,
  typing: (names: readonly string[]) =>
    names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…',
  online: 'online',
  offline: 'offline',
  newMessages: (count: number) => (count === 1 ? '1 new message' : `${count} new messages`),
  newDivider: 'New',
  jumpToUnread: 'Jump to first unread',
  retracted: (who: string) => `${who} retracted a message`,
  edited: 'edited',
  messageActions: 'Message actions',
  searchMessages: 'Search messages',
  unsupported: 'Unsupported message',
} as const;
