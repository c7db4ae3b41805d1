/**
 * Loads the title badge and desktop notifications (page-attention.ts) when an `<rtm-chat>` with
 * `unread-in-title` or `notifications` first has something to show: both are opt-ins, so pages
 * without them never fetch the code. A dynamic import, so bundlers put it in a chunk of its own;
 * the script-tag build swaps this module for load-page-attention.iife.ts.
 */
export type PageAttentionModule = typeof import('./page-attention.js');

export function importPageAttention(): Promise<PageAttentionModule> {
  return import('./page-attention.js');
}
