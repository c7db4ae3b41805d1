/**
 * Loads the message parts beyond text and attachments (rich-parts.ts) when a list first shows a
 * quote, reactions or another message type. A dynamic import, so bundlers put it in a chunk of its
 * own; the script-tag build swaps this module for load-rich-parts.iife.ts.
 */
export type RichPartsModule = typeof import('./rich-parts.js');

export function importRichParts(): Promise<RichPartsModule> {
  return import('./rich-parts.js');
}
