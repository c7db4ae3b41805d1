/**
 * What sending an image, a video or a voice message needs beyond uploading it: the header parser
 * that reads an image's type and size, the thumbnail maker, and the probe that reads a video's or
 * a recording's duration and draws a video's poster frame. Loaded on demand (load-image-work.ts):
 * a page that sends none of them never downloads it. In the script-tag build it is the companion
 * file dist/rtm-chat.images.js.
 */
export { sniffImage } from './image-header.js';
export { thumbnailOf } from './thumbnail.js';
export { probeMedia } from './media-probe.js';
