/**
 * The user-visible strings of the elements that are in the script-tag bundle itself, in one place.
 * Each is a function called when rendered, through @lit/localize's `msg`, so it comes out in the active locale
 * (locale.ts); the English text here is the source every catalog in xliff/ translates. Views
 * loaded on demand keep theirs beside them (`*.strings.ts`), so they load with them.
 */
import { msg, str } from '@lit/localize';
import { formatCount, plural } from './format.js';

export const strings = {
  message: () => msg('Message'),
  send: () => msg('Send'),
  sending: () => msg('Sending…'),
  sent: () => msg('Sent'),
  failed: () => msg('Not sent'),
  retry: () => msg('Retry'),
  retrySending: () => msg('Retry sending'),
  you: () => msg('You'),
  messages: (title: string) => msg(str`Messages with ${title}`),
  noMessages: () => msg('No messages yet. Say hello!'),
  connecting: () => msg('Connecting…'),
  reconnecting: () => msg('Connection lost. Reconnecting…'),
  disconnected: () => msg('Disconnected. Messages will not be sent until you reconnect.'),
  reconnect: () => msg('Reconnect'),
  loginFailed: (reason: string) => msg(str`Could not sign in: ${reason}`),
  notConfigured: () => msg('Set server, app-id, user-id and token on <rtm-chat> to start chatting.'),
  noConversation: () => msg('Choose a conversation.'),
  attachFile: () => msg('Attach file'),
  recordVoice: () => msg('Record voice message'),
  sendVoice: () => msg('Send voice message'),
  uploading: () => msg('Uploading…'),
  cancel: () => msg('Cancel'),
  download: () => msg('Download'),
  unreadSuffix: () => msg(' unread'),
  back: () => msg('Back to conversations'),
  delivered: () => msg('Delivered'),
  read: () => msg('Read'),
  readBy: (count: number) => msg(str`Read by ${formatCount(count)}`),
  typing: (names: readonly string[]) =>
    names.length === 1
      ? msg(str`${names[0]} is typing…`)
      : names.length === 2
        ? msg(str`${names[0]} and ${names[1]} are typing…`)
        : msg('Several people are typing…'),
  online: () => msg('online'),
  offline: () => msg('offline'),
  newMessages: (count: number) =>
    plural(count, {
      one: () => msg('1 new message'),
      other: (n) => msg(str`${n} new messages`),
    }),
  newDivider: () => msg('New'),
  jumpToUnread: () => msg('Jump to first unread'),
  retracted: (who: string) => msg(str`${who} retracted a message`),
  edited: () => msg('edited'),
  messageActions: () => msg('Message actions'),
  searchMessages: () => msg('Search messages'),
  unsupported: () => msg('Unsupported message'),
} as const;
