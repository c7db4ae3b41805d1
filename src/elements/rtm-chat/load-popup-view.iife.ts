/**
 * The script-tag build's loader of the popup view (vite.config.ts aliases load-popup-view.ts to
 * this file): the companion file dist/rtm-chat.popup.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { PopupViewModule } from './load-popup-view.js';

export type { PopupViewModule };

export function importPopupView(): Promise<PopupViewModule> {
  return importCompanion<PopupViewModule>('rtm-chat.popup.js');
}
