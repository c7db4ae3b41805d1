import { RtmError } from '../../protocol/index.js';
import type { MediaRecord, MediaStore } from '../storage/types.js';

/**
 * The media object `mediaId` of app `appId`, if it is still within its 7 days. Expired rows may
 * linger until the next sweep, so expiry is decided here, by the clock, not by the row's presence.
 * An object of another app is reported as not found: ids must not leak across apps.
 */
export async function findLiveMedia(store: MediaStore, appId: string, mediaId: string, now: number): Promise<MediaRecord> {
  const record = await store.get(mediaId);
  if (!record || record.appId !== appId) {
    throw new RtmError('MEDIA_NOT_FOUND', `No media object "${mediaId}" in this app.`);
  }
  if (record.expiresAt <= now) {
    throw new RtmError('MEDIA_EXPIRED', `Media object "${mediaId}" expired at ${new Date(record.expiresAt).toISOString()}.`);
  }
  return record;
}
