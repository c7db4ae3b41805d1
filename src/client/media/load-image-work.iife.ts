/**
 * The script-tag build's loader of the image work (vite.config.ts aliases load-image-work.ts to
 * this file): the companion file dist/rtm-chat.images.js, next to rtm-chat.iife.js.
 */
import { importCompanion } from '../companion.iife.js';
import type { ImageWork } from './load-image-work.js';

export type { ImageWork };

export function importImageWork(): Promise<ImageWork> {
  return importCompanion<ImageWork>('rtm-chat.images.js');
}
