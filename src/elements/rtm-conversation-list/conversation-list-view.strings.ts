/**
 * The user-visible strings of the conversation list (conversation-list-view.ts), kept with it so they load with it.
 */
import { msg, str } from '@lit/localize';

export const listStrings = {
  get newConversation() {
    return msg('New conversation');
  },
  get noConversations() {
    return msg('No conversations yet.');
  },
  previewOwn: (text: string) => msg(str`You: ${text}`),
  get mentioned() {
    return msg(' (mentions you)');
  },
  preview: {
    image: (name: string) => msg(str`Image: ${name}`),
    file: (name: string) => msg(str`File: ${name}`),
    audio: (_name: string) => msg('Voice message'),
    video: (name: string) => msg(str`Video: ${name}`),
  },
  previewLocation: (place: string) => msg(str`Location: ${place}`),
  actionsFor: (name: string) => msg(str`Actions for ${name}`),
  get conversationActions() {
    return msg('Conversation actions');
  },
  get deleteConversation() {
    return msg('Delete conversation');
  },
  get deleteWithHistory() {
    return msg('Delete conversation and its history');
  },
} as const;
