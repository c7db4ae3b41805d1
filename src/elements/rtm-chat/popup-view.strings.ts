/**
 * The user-visible strings of the popup (popup-view.ts), kept with it so they load with it.
 */
import { msg } from '@lit/localize';

export const popupStrings = {
  get chat() {
    return msg('Chat');
  },
  get openChat() {
    return msg('Open chat');
  },
  get closeChat() {
    return msg('Close chat');
  },
} as const;
