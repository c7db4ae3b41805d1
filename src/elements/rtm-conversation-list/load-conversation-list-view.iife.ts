/**
 * The script-tag build's loader of the conversation list's view (vite.config.ts aliases
 * load-conversation-list-view.ts to this file): the companion file dist/rtm-chat.inbox.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { ConversationListViewModule } from './load-conversation-list-view.js';

export type { ConversationListViewModule };

export function importConversationListView(): Promise<ConversationListViewModule> {
  return importCompanion<ConversationListViewModule>('rtm-chat.inbox.js');
}
