import type { Readable } from 'node:stream';
import { MAX_IMAGE_EDGE_PX, MAX_MEDIA_BYTES, MEDIA_TTL_MS, readImageSize, RtmError } from '../../../protocol/index.js';
import { newMediaId } from '../../media/ids.js';
import { receive } from '../../media/receive.js';
import type { MediaRecord } from '../../storage/types.js';
import type { MediaCaller } from './auth.js';
import type { MediaRouteDeps } from './deps.js';

/**
 * Stores a media file from `body`: its bytes under `mediaId`, committed, then its record (size,
 * type, SHA-256, image size, expiry MEDIA_TTL_MS from now). What a single upload (POST /api/media)
 * and a finished resumable one (resumable.ts) share. Rejects with the ReceiveError of `receive`
 * while the body is being read (MEDIA_TOO_LARGE past MAX_MEDIA_BYTES), MEDIA_EMPTY for no bytes.
 */
export async function saveMedia(
  deps: MediaRouteDeps,
  caller: MediaCaller,
  contentType: string,
  body: Readable,
  mediaId = newMediaId(),
): Promise<MediaRecord> {
  const writer = await deps.objects.create(mediaId);
  let received;
  try {
    received = await receive(body, writer.stream, MAX_MEDIA_BYTES);
    if (received.size === 0) throw emptyMedia();
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }

  const uploadedAt = deps.now();
  const record: MediaRecord = {
    mediaId,
    appId: caller.app.id,
    uploader: caller.uid!,
    size: received.size,
    contentType,
    sha256: received.sha256,
    uploadedAt,
    expiresAt: uploadedAt + MEDIA_TTL_MS,
  };
  const image = readImageSize(received.head);
  // A size no image message could announce is left out rather than passed on.
  if (image && image.width <= MAX_IMAGE_EDGE_PX && image.height <= MAX_IMAGE_EDGE_PX) {
    record.width = image.width;
    record.height = image.height;
  }
  // The file is committed before its row: a crash in between leaves a file without a row, which
  // the next start deletes (MediaSweeper.recover); the other order could hand out an id with no
  // bytes behind it.
  try {
    await deps.store.insert(record);
  } catch (error) {
    await deps.objects.delete(mediaId);
    throw error;
  }
  return record;
}

export function emptyMedia(): RtmError {
  return new RtmError('MEDIA_EMPTY', 'The upload has no bytes; media files must not be empty.');
}
