import { RtmError, type WireMessage } from '../../protocol/index.js';
import { findLiveMedia } from '../media/lookup.js';
import type { MediaStore } from '../storage/types.js';

/**
 * A media message (IMAGE, FILE, AUDIO, VIDEO) must point at a live media object of the sender's app, or it is refused
 * (MEDIA_NOT_FOUND / MEDIA_EXPIRED) before anything is stored: a receiver must never get an id that
 * cannot be downloaded. Any user of the app may send any live id — a message may reuse an
 * uploaded file's id without uploading it again — and `size` must be the object's, so progress
 * bars tell the truth.
 */
export async function checkMediaReference(
  ctx: { media: MediaStore; now: () => number },
  appId: string,
  message: WireMessage,
): Promise<void> {
  if (!('mediaId' in message)) return;
  const record = await findLiveMedia(ctx.media, appId, message.mediaId, ctx.now());
  if (message.size !== record.size) {
    throw new RtmError('INVALID_MESSAGE', `"size" is ${message.size}, but media object "${record.mediaId}" has ${record.size} bytes.`);
  }
}
