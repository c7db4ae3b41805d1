/**
 * The script-tag build's loader of the conversation's file handling (vite.config.ts aliases
 * load-file-drop.ts to this file): the companion file dist/rtm-chat.files.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { FileDropModule } from './load-file-drop.js';

export type { FileDropModule };

export function importFileDrop(): Promise<FileDropModule> {
  return importCompanion<FileDropModule>('rtm-chat.files.js');
}
