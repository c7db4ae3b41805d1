/**
 * The user-visible strings of the popup (popup-view.ts), kept with it so they load with it.
 */
export const popupStrings = {
  chat: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
} as const;
