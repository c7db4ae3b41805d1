/**
 * The user-visible strings of the conversation list (conversation-list-view.ts), kept with it so they load with it.
 */
export const listStrings = {
  noConversations: 'No conversations yet.',
  previewOwn: (text: string) => `You: ${text}`,
  mentioned: ' (mentions you)',
  preview: {
    image: (name: string) => `Image: ${name}`,
    file: (name: string) => `File: ${name}`,
    audio: (_name: string) => 'Voice message',
    video: (name: string) => `Video: ${name}`,
  },
  previewLocation: (place: string) => `Location: ${place}`,
  actionsFor: (name: string) => `Actions for ${name}`,
  conversationActions: 'Conversation actions',
  deleteConversation: 'Delete conversation',
  deleteWithHistory: 'Delete conversation and its history',
} as const;
