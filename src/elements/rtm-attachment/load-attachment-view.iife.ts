/**
 * The script-tag build's loader of the attachment view (vite.config.ts aliases
 * load-attachment-view.ts to this file): the companion file dist/rtm-chat.attachment.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { AttachmentViewModule } from './load-attachment-view.js';

export type { AttachmentViewModule };

export function importAttachmentView(): Promise<AttachmentViewModule> {
  return importCompanion<AttachmentViewModule>('rtm-chat.attachment.js');
}
