/**
 * The script-tag build's loader of the file upload (vite.config.ts aliases load-media-upload.ts to
 * this file): the companion file dist/rtm-chat.upload.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { MediaUploadModule } from './load-media-upload.js';

export type { MediaUploadModule };

export function importMediaUpload(): Promise<MediaUploadModule> {
  return importCompanion<MediaUploadModule>('rtm-chat.upload.js');
}
