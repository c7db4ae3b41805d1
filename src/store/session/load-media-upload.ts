/**
 * Loads the upload of file messages (media-upload.ts) with a session's first file. A dynamic
 * import, so bundlers put it in a chunk of its own; the script-tag build swaps this module for
 * load-media-upload.iife.ts.
 */
export type MediaUploadModule = typeof import('./media-upload.js');

export function importMediaUpload(): Promise<MediaUploadModule> {
  return import('./media-upload.js');
}
