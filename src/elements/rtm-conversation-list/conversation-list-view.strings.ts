/**
 * The user-visible strings of the conversation list (conversation-list-view.ts), kept with it so they load with it.
 */
export const listStrings = {
  noConversations: 'No conversations yet.',
  previewImage: (name: string) => `Image: ${name}`,
  previewFile: (name: string) => `File: ${name}`,
  previewOwn: (text: string) => `You: ${text}`,
  mentioned: ' (mentions you)',
} as const;
