import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { ReadableAtom } from 'nanostores';
import type { ChatAttachment, ChatMessage, ChatSession, TransferSnapshot } from '../../store/index.js';
import { RtmError } from '../../protocol/index.js';
import { sessionContext } from '../internal/context.js';
import { RtmErrorEvent } from '../events.js';
import { formatBytes } from '../internal/format.js';
import { StoreController } from '../internal/store-controller.js';
import { strings } from '../internal/strings.js';
import type { AttachmentHost, AttachmentView } from './attachment-view.js';
import { importAttachmentView, type AttachmentViewModule } from './load-attachment-view.js';
import { previewBox } from './preview-box.js';
import { attachmentBoxStyles } from './rtm-attachment-box.styles.js';

let viewModule: Promise<AttachmentViewModule> | undefined;

/**
 * One image or file of a message.
 *
 * - Local (being uploaded): preview or file icon, name, size, a progress bar with percent, and
 *   Cancel. A failed or cancelled upload offers Retry.
 * - Remote (by media id): an image shows the thumbnail carried in the message at once, at the
 *   original's aspect ratio so nothing jumps when it loads; activating it opens a lightbox (a modal
 *   dialog; Escape closes it and focus returns) that downloads the original with progress and
 *   Cancel. A file offers Download (with progress and Cancel) and saves under its name.
 *
 * Give it a message (`.message`), or describe a remote media object with attributes. What it does
 * beyond reserving its place loads on first use (attachment-view.ts); `updateComplete` waits for it.
 *
 * @example
 * <rtm-attachment kind="file" media-id="q0-…" file-name="report.pdf" size="48213"></rtm-attachment>
 *
 * @fires rtm-error - a transfer failed (detail: { error })
 * @csspart preview - the image button with the thumbnail (images)
 * @csspart thumbnail - the thumbnail image
 * @csspart icon - the file icon (files)
 * @csspart name - the file name
 * @csspart size - the file size
 * @csspart progress - the progress bar
 * @csspart percent - the percentage text
 * @csspart cancel-button - Cancel of an upload or download
 * @csspart download-button - Download of a file
 * @csspart retry-button - Retry after a failure
 * @csspart error - the failure text
 * @csspart lightbox - the image dialog
 * @csspart lightbox-image - the original image in the dialog
 * @csspart close-button - Close of the dialog
 * @csspart player - the audio player of a voice message, the video player of a video
 * @cssprop --rtm-attachment-max-width - widest preview (default 240px)
 *
 * @tagname rtm-attachment
 */
export class RtmAttachmentElement extends LitElement implements AttachmentHost {
  static override styles = attachmentBoxStyles;

  static override properties = {
    message: { attribute: false },
    kind: {},
    mediaId: { attribute: 'media-id' },
    fileName: { attribute: 'file-name' },
    size: { type: Number },
    width: { type: Number },
    height: { type: Number },
    thumbnail: {},
    session: { attribute: false },
  };

  /** The message whose attachment to show (local or remote). Overrides the attributes below. */
  message: ChatMessage | undefined;

  /** `image` or `file`, for a remote attachment described by attributes. */
  kind: 'image' | 'file' = 'file';

  /** Media id of a remote attachment. */
  mediaId = '';

  /** Display file name. */
  fileName = '';

  /** Size in bytes. */
  size = 0;

  /** Pixel size of the original image, to keep its aspect ratio before it loads. */
  width: number | undefined;
  height: number | undefined;

  /** URL of a thumbnail to show at once (images). */
  thumbnail = '';

  /** The session of the enclosing `<rtm-chat>` (from context), or set directly. */
  session: ChatSession | undefined;

  /** Loaded on first connect (shared by every attachment of the page). */
  #view: AttachmentView | undefined;
  #viewReady: Promise<unknown> | undefined;

  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
    new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: (session) => (this.session = session) });
  }

  /** @internal The upload of a local attachment. */
  readonly upload = new StoreController<TransferSnapshot | undefined>(this);
  readonly #downloadTransfer = new StoreController<TransferSnapshot>(this);

  /** @internal The attachment as shown: from the message, or from the attributes. */
  get attachment(): ChatAttachment {
    if (this.message?.attachment) return this.message.attachment;
    return {
      kind: this.kind === 'image' ? 'image' : 'file',
      fileName: this.fileName || this.mediaId,
      size: this.size,
      mediaId: this.mediaId || undefined,
      width: this.width,
      height: this.height,
      thumbnailUrl: this.thumbnail || undefined,
    };
  }

  /** @internal */
  get isLocal(): boolean {
    return Boolean(this.message && (this.message.status === 'uploading' || !this.message.attachment?.mediaId));
  }

  /** @internal */
  get downloadTransfer(): TransferSnapshot | undefined {
    return this.#downloadTransfer.value;
  }

  /** @internal */
  followDownload(transfer: ReadableAtom<TransferSnapshot> | undefined): void {
    this.#downloadTransfer.setStore(transfer);
  }

  /** @internal */
  toRtmError(error: unknown): RtmError {
    // Companion files use this bundle's RtmError (src/companion-bridge), so `instanceof` holds.
    return error instanceof RtmError ? error : new RtmError('MEDIA_TRANSFER_FAILED', String(error));
  }

  /** @internal */
  reportError(error: RtmError): void {
    this.dispatchEvent(new RtmErrorEvent({ error, conversation: this.message?.conversation }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#viewReady ??= (viewModule ??= importAttachmentView()).then(
      (module) => {
        this.#view = new module.AttachmentView(this);
        this.requestUpdate();
      },
      (error: unknown) => {
        // Retried by the next attachment that connects.
        viewModule = undefined;
        this.#viewReady = undefined;
        this.reportError(new RtmError('INTERNAL_ERROR', `Could not load the attachment view: ${String(error)}`));
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('message') || changed.has('session')) {
      const localId = this.isLocal ? this.message?.localId : undefined;
      this.upload.setStore(localId && this.session ? this.session.transferOf(localId) : undefined);
    }
  }

  /** Resolves once rendered with the view loaded. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.#viewReady;
    return super.getUpdateComplete();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#view?.disconnected();
  }

  override render() {
    if (this.#view) return this.#view.render();
    // Until the view is loaded: the same box it will draw (the thumbnail is shown already), so
    // nothing in the list moves when it arrives.
    const attachment = this.attachment;
    const style = previewBox(attachment);
    if ((attachment.kind === 'image' || attachment.kind === 'video') && !this.isLocal) {
      return html`<div class="card">
        ${attachment.thumbnailUrl
          ? html`<img part="thumbnail" src=${attachment.thumbnailUrl} alt="" style=${style} />`
          : html`<span part="thumbnail" class="placeholder" style=${style}></span>`}
      </div>`;
    }
    return html`<div class="card file">
      <span class="icon"></span>
      <div class="facts">
        <span class="name">${attachment.fileName}</span>
        <span class="size">${formatBytes(attachment.size)}</span>
        <span class="pill" style="visibility:hidden">${strings.download()}</span>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-attachment': RtmAttachmentElement;
  }
}
