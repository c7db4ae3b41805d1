/**
 * What sending an image needs beyond uploading it: the header parser that reads its type and size,
 * and the thumbnail maker. Loaded on demand (load-image-work.ts): a page that never sends an image
 * never downloads it. In the script-tag build it is the companion file dist/rtm-chat.images.js.
 */
export { sniffImage } from './image-header.js';
export { thumbnailOf } from './thumbnail.js';
