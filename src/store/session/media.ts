import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import { checkMediaSize, createClientMessageId, type RtmMediaMessage } from '../../client/index.js';
import { INLINE_IMAGE_TYPES, MEDIA_URL_TTL_MS, RtmError, checkFileName, normalizeMediaType } from '../../protocol/index.js';
import { attachmentOf, withoutError, type ChatMessage } from '../chat-message.js';
import { checkConversationKey, compositeKey, type ConversationKey } from '../keys.js';
import type { ChatDownload, TransferSnapshot } from '../transfer.js';
import type { SessionContext } from './context.js';
import { importMediaUpload, type MediaUploadModule } from './load-media-upload.js';
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

  /**
   * Sends files, one message each (see ChatSession.sendFiles); with `durationMs` (checked by the
   * caller), as voice messages (ChatSession.sendVoice).
   */
  sendFiles(key: ConversationKey, files: readonly File[], durationMs?: number): ChatMessage[] {
    const invalid = this.validateFiles(key, files).find(Boolean);
    if (invalid) throw invalid;
    const session = this.#session;
    const conversation = session.conversation(key);
    const chats = Array.from(files, (file): ChatMessage => {
      // Only raster types a browser shows inline are images; SVG and the rest go as files (the
      // upload tries audio and video files as AUDIO and VIDEO: media-upload.ts).
      const mimeType = normalizeMediaType(file.type) ?? '';
      const message = {
        messageType: durationMs ? 'AUDIO' : INLINE_IMAGE_TYPES.includes(mimeType) ? 'IMAGE' : 'FILE',
        mediaId: '',
        size: file.size,
        fileName: file.name,
        description: '',
        mimeType,
        thumbnailWidth: 0,
        thumbnailHeight: 0,
        durationMs,
      } as RtmMediaMessage;
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

  /** Downloads a media object (see ChatSession.download); the download itself loads with the upload's module. */
  download(mediaId: string): ChatDownload {
    const $transfer = atom<TransferSnapshot>({ direction: 'download', state: 'queued', currentSize: 0, totalSize: 0 });
    const controller = new AbortController();
    const client = this.#session.client;
    const result = importMediaUpload().then(
      (module) => module.download(client, mediaId, $transfer, controller.signal),
      (caught: unknown) => {
        const error = new RtmError('MEDIA_TRANSFER_FAILED', `Could not load the download: ${String(caught)}`);
        $transfer.set({ ...$transfer.get(), state: 'failed', error });
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
    const deps = {
      session: this.#session,
      sending: this.#sending,
      file: this.#files.get(localId)!,
      transfer: this.#transfer(localId),
      running: this.#running,
      done: () => this.#files.delete(localId),
    };
    let module: MediaUploadModule;
    try {
      module = await importMediaUpload();
    } catch (caught) {
      const error = new RtmError('MEDIA_TRANSFER_FAILED', `Could not load the upload: ${String(caught)}`);
      const conversation = this.#session.conversation(key);
      const failed = conversation.update(this.#session.userId, localId, (m) => ({ ...m, status: 'failed', error }))!;
      this.#session.list.touch(conversation);
      return failed;
    }
    return module.uploadFile(deps, key, localId);
  }
}
