/**
 * The script-tag build's loader of the media transfers (vite.config.ts aliases
 * load-media-transfers.ts to this file): the companion file dist/rtm-chat.media.js.
 */
import { importCompanion } from '../companion.iife.js';
import type { MediaTransfersModule } from './load-media-transfers.js';

export type { MediaTransfersModule };

export function importMediaTransfers(): Promise<MediaTransfersModule> {
  return importCompanion<MediaTransfersModule>('rtm-chat.media.js');
}
