import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import { checkMediaSize, createClientMessageId, thumbnailDataUrl, type RtmFileMessage, type RtmImageMessage } from '../../client/index.js';
import { INLINE_IMAGE_TYPES, MEDIA_URL_TTL_MS, RtmError, checkFileName, normalizeMediaType } from '../../protocol/index.js';
import { attachmentOf, withoutError, type ChatMessage } from '../chat-message.js';
import { asRtmError } from '../errors.js';
import { checkConversationKey, compositeKey, type ConversationKey } from '../keys.js';
import type { ChatDownload, TransferSnapshot } from '../transfer.js';
import type { SessionContext } from './context.js';
import type { Sending } from './sending.js';

/**
 * Media: sending files — each file its own message at once (`uploading`, with a local preview once
 * the thumbnail exists), uploaded with progress and cancel, then sent; a file is kept until its
 * upload succeeds, so a failed or cancelled upload can be retried — and getting media: downloads
 * with progress and cancel, and signed URLs cached until shortly before they expire.
 */
export class Media {
  readonly #session: SessionContext;
  readonly #sending: Sending;
  /** Files of own messages not uploaded yet (kept for retry), by local id. */
  readonly #files = new Map<string, File>();
  readonly #running = new Map<string, AbortController>();
  readonly #transfers = new Map<string, WritableAtom<TransferSnapshot | undefined>>();
  readonly #urls = new Map<string, { url: Promise<string>; renewAt: number }>();

  constructor(session: SessionContext, sending: Sending) {
    this.#session = session;
    this.#sending = sending;
  }

  /** Why each file cannot be sent to `key` (see ChatSession.validateFiles). */
  validateFiles(key: ConversationKey, files: readonly File[]): (RtmError | undefined)[] {
    const badKey = checkConversationKey(key);
    return Array.from(files, (file) => badKey ?? checkMediaSize(file.size) ?? checkFileName(file.name));
  }

  /** Sends files, one message each (see ChatSession.sendFiles). */
  sendFiles(key: ConversationKey, files: readonly File[]): ChatMessage[] {
    const invalid = this.validateFiles(key, files).find(Boolean);
    if (invalid) throw invalid;
    const session = this.#session;
    const conversation = session.conversation(key);
    const chats = Array.from(files, (file): ChatMessage => {
      // Only raster types a browser shows inline are images; SVG and the rest go as files.
      const mimeType = normalizeMediaType(file.type) ?? '';
      const message: RtmImageMessage | RtmFileMessage = {
        messageType: INLINE_IMAGE_TYPES.includes(mimeType) ? 'IMAGE' : 'FILE',
        mediaId: '',
        size: file.size,
        fileName: file.name,
        description: '',
        mimeType,
        thumbnailWidth: 0,
        thumbnailHeight: 0,
      };
      const localId = createClientMessageId();
      this.#files.set(localId, file);
      return {
        localId,
        conversation: key,
        from: session.userId,
        own: true,
        text: undefined,
        message,
        attachment: attachmentOf(message),
        ts: Date.now(),
        status: 'uploading',
      };
    });
    conversation.upsert(...chats);
    session.list.touch(conversation);
    for (const chat of chats) void this.#upload(key, chat.localId);
    return chats;
  }

  /** Uploads a failed message's file again and sends it; undefined when its file was uploaded. */
  retry(key: ConversationKey, localId: string): Promise<ChatMessage> | undefined {
    if (!this.#files.has(localId)) return undefined;
    const session = this.#session;
    const conversation = session.conversation(key);
    conversation.update(session.userId, localId, (m) => withoutError({ ...m, status: 'uploading' }));
    session.list.touch(conversation);
    return this.#upload(key, localId);
  }

  /** The upload of an own message (by local id): undefined until it starts, kept after it ends. */
  transferOf(localId: string): ReadableAtom<TransferSnapshot | undefined> {
    return this.#transfer(localId);
  }

  /** Cancels an upload in progress (the message becomes `failed` with CANCELLED). */
  cancel(localId: string): void {
    this.#running.get(localId)?.abort();
  }

  /** Downloads a media object (see ChatSession.download). */
  download(mediaId: string): ChatDownload {
    const $transfer = atom<TransferSnapshot>({ direction: 'download', state: 'queued', currentSize: 0, totalSize: 0 });
    const set = (change: Partial<TransferSnapshot>): void => $transfer.set({ ...$transfer.get(), ...change });
    const controller = new AbortController();
    const client = this.#session.client;
    const result = (
      client
        ? client.downloadMedia(mediaId, {
            cancelSignal: controller.signal,
            onOperationProgress: (p) => set({ state: 'active', ...p }),
          })
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
    return { transfer: $transfer, result, cancel: () => controller.abort() };
  }

  /** A signed URL of a media object (see ChatSession.mediaUrl). */
  mediaUrl(mediaId: string, fileName?: string): Promise<string> {
    const key = fileName === undefined ? mediaId : compositeKey(mediaId, fileName);
    const cached = this.#urls.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.url;
    const client = this.#session.client;
    if (!client) return Promise.reject(new RtmError('NOT_LOGGED_IN', 'Call start() first.'));
    // Renewed a minute before the server's expiry, so a URL handed out is still good for a while.
    const renewAt = Date.now() + MEDIA_URL_TTL_MS - 60_000;
    const url = client.getMediaUrl(mediaId, fileName);
    this.#urls.set(key, { url, renewAt });
    url.catch(() => {
      if (this.#urls.get(key)?.url === url) this.#urls.delete(key);
    });
    return url;
  }

  #transfer(localId: string): WritableAtom<TransferSnapshot | undefined> {
    let $transfer = this.#transfers.get(localId);
    if (!$transfer) this.#transfers.set(localId, ($transfer = atom<TransferSnapshot | undefined>(undefined)));
    return $transfer;
  }

  /** Uploads the file of an own `uploading` message, then sends it; settles its status. */
  async #upload(key: ConversationKey, localId: string): Promise<ChatMessage> {
    const session = this.#session;
    const conversation = session.conversation(key);
    const file = this.#files.get(localId)!;
    const update = (change: (m: ChatMessage) => ChatMessage): ChatMessage => {
      const updated = conversation.update(session.userId, localId, change)!;
      session.list.touch(conversation);
      return updated;
    };
    const controller = new AbortController();
    this.#running.set(localId, controller);
    const $transfer = this.#transfer(localId);
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
      const pending = conversation.get(session.userId, localId)!.message as RtmImageMessage | RtmFileMessage;
      const message = await client.createMediaMessageByUploading(
        file,
        { messageType: pending.messageType, fileName: file.name },
        {
          cancelSignal: controller.signal,
          onOperationProgress: (p) => $transfer.set(progress('active', p.currentSize, p.totalSize)),
          // The local preview: the thumbnail the message will carry, shown while the upload runs.
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
        },
      );
      $transfer.set(progress('done', file.size));
      this.#files.delete(localId);
      return this.#sending.transmit(key, update((m) => ({ ...m, message, attachment: attachmentOf(message), status: 'sending' })));
    } catch (caught) {
      const error = asRtmError(caught, 'INTERNAL_ERROR');
      const cancel = error.reason === 'CANCELLED';
      const last = $transfer.get();
      $transfer.set({ ...progress(cancel ? 'cancelled' : 'failed', last?.currentSize ?? 0), error });
      // Cancelling is the user's own doing, and after stop() nobody is listening.
      if (session.active && !cancel) session.report(error, key);
      return update((m) => ({ ...m, status: 'failed', error }));
    } finally {
      if (this.#running.get(localId) === controller) this.#running.delete(localId);
    }
  }
}
