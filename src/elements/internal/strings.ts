/**
 * Every user-visible English string of the elements in one place, so a later localization pass
 * (and the accessible names tests rely on, ARCHITECTURE.md §3) has a single list to work from.
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
  signedOut: 'Not signed in.',
  loginFailed: (reason: string) => `Could not sign in: ${reason}`,
  notConfigured: 'Set server, app-id, user-id and token on <rtm-chat> to start chatting.',
  noConversation: 'Choose a conversation.',
  conversations: 'Conversations',
  composerHint: 'Enter to send, Shift+Enter for a new line',
} as const;
