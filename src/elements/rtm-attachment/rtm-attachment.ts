import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { ReadableAtom } from 'nanostores';
import type { ChatAttachment, ChatMessage, ChatSession, TransferSnapshot } from '../../store/index.js';
import { RtmError } from '../../protocol/index.js';
import { sessionContext } from '../internal/context.js';
import { RtmErrorEvent } from '../events.js';
import { formatBytes } from '../internal/format.js';
import { StoreController } from '../internal/store-controller.js';
import { strings } from '../internal/strings.js';
import { attachmentStyles } from './rtm-attachment.styles.js';

/** Widest an inline image preview is drawn, in CSS pixels (the theme can override with max-width). */
const PREVIEW_MAX_WIDTH = 240;

/** A download in progress: its transfer store, its result and how to stop it. */
interface ActiveDownload {
  transfer: ReadableAtom<TransferSnapshot>;
  result: Promise<Blob>;
  cancel(): void;
  purpose: 'lightbox' | 'save';
}

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
 * Give it a message (`.message`), or describe a remote media object with attributes.
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
 * @cssprop --rtm-attachment-max-width - widest preview (default 240px)
 *
 * @tagname rtm-attachment
 */
export class RtmAttachmentElement extends LitElement {
  static override styles = attachmentStyles;

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
    download: { state: true, attribute: false },
    downloadError: { state: true, attribute: false },
    originalUrl: { state: true, attribute: false },
    lightboxOpen: { state: true, attribute: false },
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

  private download: ActiveDownload | undefined;
  private downloadError: RtmError | undefined;
  private originalUrl: string | undefined;
  private lightboxOpen = false;

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  private get previewButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('[part~="preview"]');
  }

  constructor() {
    super();
    new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: (session) => (this.session = session) });
  }

  private readonly upload = new StoreController<TransferSnapshot | undefined>(this);
  private readonly downloadTransfer = new StoreController<TransferSnapshot>(this);

  /** The attachment as shown: from the message, or from the attributes. */
  private get attachment(): ChatAttachment {
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

  private get isLocal(): boolean {
    return Boolean(this.message && (this.message.status === 'uploading' || !this.message.attachment?.mediaId));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('message') || changed.has('session')) {
      const localId = this.isLocal ? this.message?.localId : undefined;
      this.upload.setStore(localId && this.session ? this.session.transferOf(localId) : undefined);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.download?.cancel();
    this.releaseOriginal();
  }

  // ---- downloads ------------------------------------------------------------------------------

  private startDownload(purpose: ActiveDownload['purpose']): void {
    const mediaId = this.attachment.mediaId;
    if (!mediaId || !this.session || this.download) return;
    this.downloadError = undefined;
    const started = this.session.download(mediaId);
    const active: ActiveDownload = { ...started, purpose };
    this.download = active;
    this.downloadTransfer.setStore(started.transfer);
    started.result.then(
      (blob) => {
        if (this.download !== active) return;
        this.finishDownload();
        if (purpose === 'save') this.save(blob);
        else this.showOriginal(blob);
      },
      (error: unknown) => {
        if (this.download !== active) return;
        this.finishDownload();
        const rtmError = error instanceof RtmError ? error : new RtmError('MEDIA_TRANSFER_FAILED', String(error));
        if (rtmError.reason === 'CANCELLED') return;
        this.downloadError = rtmError;
        this.dispatchEvent(new RtmErrorEvent({ error: rtmError, conversation: this.message?.conversation }));
      },
    );
  }

  private finishDownload(): void {
    this.download = undefined;
    this.downloadTransfer.setStore(undefined);
  }

  private cancelDownload(): void {
    this.download?.cancel();
  }

  private save(blob: Blob): void {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = this.attachment.fileName;
    link.rel = 'noopener';
    link.click();
    // The browser has taken the download by the next task; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private showOriginal(blob: Blob): void {
    this.releaseOriginal();
    this.originalUrl = URL.createObjectURL(blob);
  }

  private releaseOriginal(): void {
    if (this.originalUrl) URL.revokeObjectURL(this.originalUrl);
    this.originalUrl = undefined;
  }

  // ---- lightbox -------------------------------------------------------------------------------

  private async openLightbox(): Promise<void> {
    this.lightboxOpen = true;
    await this.updateComplete;
    this.dialog?.showModal();
    if (!this.originalUrl) this.startDownload('lightbox');
  }

  private closeLightbox(): void {
    this.dialog?.close();
  }

  private onDialogClose(): void {
    this.lightboxOpen = false;
    if (this.download?.purpose === 'lightbox') this.cancelDownload();
    // Focus goes back to what opened the dialog, so keyboard users keep their place.
    this.previewButton?.focus();
  }

  private onDialogClick(event: MouseEvent): void {
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    if (event.target === this.dialog) this.closeLightbox();
  }

  // ---- rendering ------------------------------------------------------------------------------

  private renderProgress(transfer: TransferSnapshot | undefined, name: string, onCancel: () => void, cancelLabel: string) {
    const total = transfer?.totalSize || this.attachment.size || 1;
    const current = transfer?.currentSize ?? 0;
    const percent = Math.min(100, Math.floor((current / total) * 100));
    return html`<div class="transfer">
      <progress part="progress" max="100" .value=${percent} aria-label=${strings.transferProgress(name)}></progress>
      <span part="percent">${percent}%</span>
      <button part="cancel-button" class="pill" type="button" aria-label=${cancelLabel} @click=${onCancel}>${strings.cancel}</button>
    </div>`;
  }

  private renderFacts(attachment: ChatAttachment) {
    return html`<span part="name" class="name">${attachment.fileName}</span>
      <span part="size" class="size">${formatBytes(attachment.size)}</span>`;
  }

  private renderPreviewImage(attachment: ChatAttachment) {
    const ratio = attachment.width && attachment.height ? `${attachment.width} / ${attachment.height}` : undefined;
    const width = attachment.width ? Math.min(attachment.width, PREVIEW_MAX_WIDTH) : PREVIEW_MAX_WIDTH;
    const style = `width:${width}px;${ratio ? `aspect-ratio:${ratio};` : ''}`;
    return attachment.thumbnailUrl
      ? html`<img part="thumbnail" src=${attachment.thumbnailUrl} alt="" style=${style} />`
      : html`<span part="thumbnail" class="placeholder" style=${style}></span>`;
  }

  private renderLocal(attachment: ChatAttachment) {
    const message = this.message!;
    const transfer = this.upload.value;
    const failed = message.status === 'failed';
    return html`<div class="card local ${attachment.kind}">
      ${attachment.kind === 'image' ? this.renderPreviewImage(attachment) : html`<span part="icon" class="icon" aria-hidden="true"></span>`}
      <div class="facts">
        ${this.renderFacts(attachment)}
        ${failed
          ? html`<span part="error" class="error">${message.error?.reason === 'CANCELLED' ? strings.cancelled : strings.uploadFailed}</span>
              <button
                part="retry-button"
                class="pill"
                type="button"
                aria-label=${strings.retryUpload(attachment.fileName)}
                @click=${() => this.session?.retry(message.conversation, message.localId)}
              >
                ${strings.retry}
              </button>`
          : message.status === 'uploading'
            ? this.renderProgress(
                transfer,
                attachment.fileName,
                () => this.session?.cancelUpload(message.conversation, message.localId),
                strings.cancelUploadOf(attachment.fileName),
              )
            : nothing}
      </div>
    </div>`;
  }

  private renderDownloadState(attachment: ChatAttachment, purpose: ActiveDownload['purpose']) {
    if (this.download?.purpose === purpose) {
      return this.renderProgress(
        this.downloadTransfer.value,
        attachment.fileName,
        () => this.cancelDownload(),
        strings.cancelDownloadOf(attachment.fileName),
      );
    }
    if (this.downloadError) {
      return html`<span part="error" class="error" role="alert">${strings.downloadFailed}: ${this.downloadError.message}</span>
        <button
          part="retry-button"
          class="pill"
          type="button"
          aria-label=${strings.retryDownload(attachment.fileName)}
          @click=${() => this.startDownload(purpose)}
        >
          ${strings.retry}
        </button>`;
    }
    return nothing;
  }

  private renderRemoteImage(attachment: ChatAttachment) {
    return html`<div class="card remote image">
        <button part="preview" type="button" aria-label=${strings.openImage(attachment.fileName)} aria-haspopup="dialog" @click=${this.openLightbox}>
          ${this.renderPreviewImage(attachment)}
        </button>
      </div>
      ${this.lightboxOpen
        ? html`<dialog part="lightbox" aria-label=${attachment.fileName} @close=${this.onDialogClose} @click=${this.onDialogClick}>
            <div class="lightbox-bar">
              ${this.renderFacts(attachment)}
              <button part="close-button" class="pill" type="button" @click=${this.closeLightbox}>${strings.close}</button>
            </div>
            <div class="lightbox-body">
              ${this.originalUrl
                ? html`<img part="lightbox-image" src=${this.originalUrl} alt=${attachment.fileName} />`
                : html`${this.renderPreviewImage(attachment)} ${this.renderDownloadState(attachment, 'lightbox')}`}
            </div>
          </dialog>`
        : nothing}`;
  }

  private renderRemoteFile(attachment: ChatAttachment) {
    const busy = this.download?.purpose === 'save';
    return html`<div class="card remote file">
      <span part="icon" class="icon" aria-hidden="true"></span>
      <div class="facts">
        ${this.renderFacts(attachment)}
        ${busy || this.downloadError
          ? this.renderDownloadState(attachment, 'save')
          : html`<button
              part="download-button"
              class="pill"
              type="button"
              aria-label=${strings.downloadFile(attachment.fileName)}
              ?disabled=${!this.session || !attachment.mediaId}
              @click=${() => this.startDownload('save')}
            >
              ${strings.download}
            </button>`}
      </div>
    </div>`;
  }

  override render() {
    const attachment = this.attachment;
    if (this.isLocal) return this.renderLocal(attachment);
    return attachment.kind === 'image' ? this.renderRemoteImage(attachment) : this.renderRemoteFile(attachment);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-attachment': RtmAttachmentElement;
  }
}
