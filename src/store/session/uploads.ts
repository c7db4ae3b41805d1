import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import { checkMediaSize, createClientMessageId, thumbnailDataUrl, type RtmFileMessage, type RtmImageMessage } from '../../client/index.js';
import { INLINE_IMAGE_TYPES, RtmError, checkFileName, normalizeMediaType } from '../../protocol/index.js';
import { attachmentOf, withoutError, type ChatMessage } from '../chat-message.js';
import { asRtmError } from '../errors.js';
import { checkConversationKey, type ConversationKey } from '../keys.js';
import type { TransferSnapshot } from '../transfer.js';
import type { SessionContext } from './context.js';
import type { Sending } from './sending.js';

/**
 * Sending files: each file its own message at once (`uploading`, with a local preview once the
 * thumbnail exists), uploaded with progress and cancel, then sent. A file is kept until its upload
 * succeeds, so a failed or cancelled upload can be retried.
 */
export class Uploads {
  readonly #session: SessionContext;
  readonly #sending: Sending;
  /** Files of own messages not uploaded yet (kept for retry), by local id. */
  readonly #files = new Map<string, File>();
  readonly #running = new Map<string, AbortController>();
  readonly #transfers = new Map<string, WritableAtom<TransferSnapshot | undefined>>();

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
