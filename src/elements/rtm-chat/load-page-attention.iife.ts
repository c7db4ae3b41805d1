/**
 * The script-tag build's loader of the title badge and notifications (vite.config.ts aliases
 * load-page-attention.ts to this file): the companion file dist/rtm-chat.attention.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { PageAttentionModule } from './load-page-attention.js';

export type { PageAttentionModule };

export function importPageAttention(): Promise<PageAttentionModule> {
  return importCompanion<PageAttentionModule>('rtm-chat.attention.js');
}
