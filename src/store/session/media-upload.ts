import {
  thumbnailDataUrl,
  type MediaMessageParams,
  type MediaUploadHandler,
  type RtmClient,
  type RtmMediaMessage,
} from '../../client/index.js';
import { RtmError } from '../../protocol/index.js';
import { attachmentOf, type ChatMessage } from '../chat-message.js';
import { asRtmError } from '../errors.js';
import type { ConversationKey } from '../keys.js';
import type { TransferSnapshot } from '../transfer.js';
import type { SessionContext } from './context.js';
import type { Sending } from './sending.js';

/**
 * The transfers of the store: the upload of a file message (progress into its transfer store, the
 * local preview once the thumbnail or poster exists, then the send; cancel and failure settle the
 * message as `failed`) and downloads. Loaded with a session's first file or download (media.ts keeps the
 * message, the file and the transfer store): in the script-tag build, the companion file
 * dist/rtm-chat.upload.js.
 */
export interface UploadDeps {
  session: SessionContext;
  sending: Sending;
  file: File;
  /** The message's transfer store. */
  transfer: { set(snapshot: TransferSnapshot | undefined): void; get(): TransferSnapshot | undefined };
  /** Uploads running, by local id (cancel aborts them). */
  running: Map<string, AbortController>;
  /** The file was uploaded: it need not be kept for a retry. */
  done(): void;
}

export async function uploadFile(deps: UploadDeps, key: ConversationKey, localId: string): Promise<ChatMessage> {
const { session, file } = deps;
  const conversation = session.conversation(key);
  const update = (change: (m: ChatMessage) => ChatMessage): ChatMessage => {
    const updated = conversation.update(session.userId, localId, change)!;
    session.list.touch(conversation);
    return updated;
  };
  const controller = new AbortController();
  deps.running.set(localId, controller);
  const $transfer = deps.transfer;
  const progress = (state: TransferSnapshot['state'], currentSize: number, totalSize = file.size): TransferSnapshot => ({
    direction: 'upload',
    state,
    currentSize,
    totalSize,
  });
  $transfer.set(progress('queued', 0));
  try {
    const client = session.client;
    if (!client) throw new RtmError('NOT_LOGGED_IN', 'Call start() first.');
    const pending = conversation.get(session.userId, localId)!.message as RtmMediaMessage;
    const handler: MediaUploadHandler = {
      cancelSignal: controller.signal,
      onOperationProgress: (p) => $transfer.set(progress('active', p.currentSize, p.totalSize)),
      // The local preview: the thumbnail (a video's poster) the message will carry, shown while
      // the upload runs.
      onThumbnail: ({ thumbnail, width, height, thumbnailWidth, thumbnailHeight }) =>
        update((m) =>
          m.status === 'uploading' && m.attachment
            ? {
                ...m,
                attachment: {
                  ...m.attachment,
                  width,
                  height,
                  thumbnailWidth,
                  thumbnailHeight,
                  thumbnailUrl: thumbnailDataUrl({ thumbnail }),
                },
              }
            : m,
        ),
    };
    const upload = (params: MediaMessageParams): Promise<RtmMediaMessage> => client.createMediaMessageByUploading(file, params, handler);
    const { messageType, mimeType } = pending;
    const fileName = file.name;
    // sendFiles names all but images FILE, which keeps the always-loaded core small: an audio or
    // video file is tried here as AUDIO or VIDEO, the client reading its duration (and making a
    // video's poster frame) in the browser.
    const media =
      messageType === 'FILE' && /^(audio|video)\//.test(mimeType) ? (mimeType.slice(0, 5).toUpperCase() as 'AUDIO' | 'VIDEO') : undefined;
    const message = await (media
      ? upload({ messageType: media, fileName }).catch((caught: unknown) => {
          // The browser could not read how long it plays (it cannot decode it, or it runs over
          // MAX_MEDIA_DURATION_MS): refused before a byte was sent, it goes as a file instead.
          if ((caught as RtmError | undefined)?.reason === 'INVALID_MESSAGE') return upload({ messageType, fileName });
          throw caught;
        })
      : // A voice message carries the duration its recorder measured (sendVoice).
        upload({ messageType, fileName, durationMs: (pending as { durationMs?: number }).durationMs }));
    $transfer.set(progress('done', file.size));
    deps.done();
    return deps.sending.transmit(key, update((m) => ({ ...m, message, attachment: attachmentOf(message), status: 'sending' })));
  } catch (caught) {
    const error = asRtmError(caught, 'INTERNAL_ERROR');
    const cancel = error.reason === 'CANCELLED';
    const last = $transfer.get();
    $transfer.set({ ...progress(cancel ? 'cancelled' : 'failed', last?.currentSize ?? 0), error });
    // Cancelling is the user's own doing, and after stop() nobody is listening.
    if (session.active && !cancel) session.report(error, key);
    return update((m) => ({ ...m, status: 'failed', error }));
  } finally {
    if (deps.running.get(localId) === controller) deps.running.delete(localId);
  }
}

/** Downloads a media object with progress into `$transfer`; settles it as done, cancelled or failed. */
export function download(
  client: RtmClient | undefined,
  mediaId: string,
  $transfer: { set(snapshot: TransferSnapshot): void; get(): TransferSnapshot },
  signal: AbortSignal,
): Promise<Blob> {
  const set = (change: Partial<TransferSnapshot>): void => $transfer.set({ ...$transfer.get(), ...change });
  return (
    client
      ? client.downloadMedia(mediaId, { cancelSignal: signal, onOperationProgress: (p) => set({ state: 'active', ...p }) })
      : Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'))
  ).then(
    (blob) => {
      set({ state: 'done', currentSize: blob.size, totalSize: blob.size });
      return blob;
    },
    (caught: unknown) => {
      const error = asRtmError(caught, 'INTERNAL_ERROR');
      set({ state: error.reason === 'CANCELLED' ? 'cancelled' : 'failed', error });
      throw error;
    },
  );
}
