import type { ChatAttachment } from '../../store/index.js';

/** Widest an inline image preview is drawn, in CSS pixels (the theme can override with max-width). */
const PREVIEW_MAX_WIDTH = 240;

/**
 * The inline style of an image preview: its width, and the original's aspect ratio so nothing
 * jumps when the thumbnail (or the element's view) loads.
 */
export function previewBox(attachment: ChatAttachment): string {
  const ratio = attachment.width && attachment.height ? `aspect-ratio:${attachment.width} / ${attachment.height};` : '';
  const width = attachment.width ? Math.min(attachment.width, PREVIEW_MAX_WIDTH) : PREVIEW_MAX_WIDTH;
  return `width:${width}px;${ratio}`;
}
