/**
 * Loads the new conversation form (new-conversation.ts) once the inbox's New conversation button
 * is pointed at, focused or pressed. A dynamic import from the conversation list's view, so the script-tag
 * build's companion dist/rtm-chat.inbox.js imports dist/rtm-chat.new-conversation.js from next
 * to itself, and bundlers put it in a chunk of its own.
 */
export type NewConversationModule = typeof import('./new-conversation.js');

export function importNewConversation(): Promise<NewConversationModule> {
  return import('./new-conversation.js');
}
