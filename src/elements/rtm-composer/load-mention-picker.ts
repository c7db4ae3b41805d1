/**
 * Loads the composer's mention picker (mention-picker.ts) the first time "@" is typed where
 * mentions are offered. A dynamic import, so bundlers put it in a chunk of its own; the script-tag
 * build swaps this module for load-mention-picker.iife.ts.
 */
export type MentionPickerModule = typeof import('./mention-picker.js');

export function importMentionPicker(): Promise<MentionPickerModule> {
  return import('./mention-picker.js');
}
