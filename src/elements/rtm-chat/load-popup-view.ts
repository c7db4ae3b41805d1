/**
 * Loads the popup's view (popup-view.ts) when an `<rtm-chat>` is first in `mode="popup"`. A
 * dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps this module
 * for load-popup-view.iife.ts.
 */
export type PopupViewModule = typeof import('./popup-view.js');

export function importPopupView(): Promise<PopupViewModule> {
  return import('./popup-view.js');
}
