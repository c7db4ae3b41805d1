/** src/client/media/media-message.ts as companion files see it: the bundle's own, with the thumbnails it remembers (see core.ts). */
import { companionCore } from './core.js';

export type * from '../client/media/media-message.js';
export const { thumbnailBlob, rememberThumbnail, unreadThumbnail, thumbnailDataUrl, createMediaMessage, wireFields, mediaToWire, mediaFromWire } =
  companionCore().mediaMessage;
