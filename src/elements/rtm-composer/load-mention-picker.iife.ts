/**
 * The script-tag build's loader of the mention picker (vite.config.ts aliases
 * load-mention-picker.ts to this file): the companion file dist/rtm-chat.mentions.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { MentionPickerModule } from './load-mention-picker.js';

export type { MentionPickerModule };

export function importMentionPicker(): Promise<MentionPickerModule> {
  return importCompanion<MentionPickerModule>('rtm-chat.mentions.js');
}
