/**
 * Loads the attachment's view (attachment-view.ts), which only conversations with an image or a
 * file need. A dynamic import, so bundlers put it in a chunk of its own; the script-tag build
 * swaps this module for load-attachment-view.iife.ts.
 */
export type AttachmentViewModule = typeof import('./attachment-view.js');

export function importAttachmentView(): Promise<AttachmentViewModule> {
  return import('./attachment-view.js');
}
