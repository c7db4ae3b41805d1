import { html, nothing } from 'lit/html.js';
import type { ReadableAtom } from 'nanostores';
import type { RtmError } from '../../protocol/index.js';
import type { ChatAttachment, ChatMessage, ChatSession, TransferSnapshot } from '../../store/index.js';
import { formatBytes } from '../internal/format.js';

/** m:ss of a duration in ms. */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
import { previewBox } from './preview-box.js';
import { strings } from '../internal/strings.js';
import { attachmentStrings } from './attachment-view.strings.js';
import { attachmentCss } from './rtm-attachment.styles.js';
import { adoptCss } from '../internal/css-text.js';


/** A download in progress: its transfer store, its result and how to stop it. */
interface ActiveDownload {
  transfer: ReadableAtom<TransferSnapshot>;
  result: Promise<Blob>;
  cancel(): void;
  purpose: 'lightbox' | 'save';
}

/** What the view needs of its `<rtm-attachment>`. */
export interface AttachmentHost {
  readonly attachment: ChatAttachment;
  readonly message: ChatMessage | undefined;
  readonly session: ChatSession | undefined;
  readonly isLocal: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  /** The upload of a local attachment. */
  readonly upload: { readonly value: TransferSnapshot | undefined };
  /** Follows a download's transfer store (undefined: none). */
  followDownload(transfer: ReadableAtom<TransferSnapshot> | undefined): void;
  readonly downloadTransfer: TransferSnapshot | undefined;
  requestUpdate(): void;
  /** The error as an RtmError (a failure that is not one becomes MEDIA_TRANSFER_FAILED). */
  toRtmError(error: unknown): RtmError;
  /** Fires `rtm-error` from the element. */
  reportError(error: RtmError): void;
}

/**
 * Everything `<rtm-attachment>` does beyond reserving its place: the upload card, the download
 * with progress and Cancel, saving a file, and the image lightbox. Loaded on demand (a companion
 * file of the script-tag build, a chunk of the ESM build), because most conversations show no
 * attachment; the element renders it once loaded.
 */
export class AttachmentView {
  readonly host: AttachmentHost;
  #download: ActiveDownload | undefined;
  #downloadError: RtmError | undefined;
  #originalUrl: string | undefined;
  #lightboxOpen = false;

  constructor(host: AttachmentHost) {
    this.host = host;
    // After the element's own box styles.
    adoptCss(host.renderRoot as ShadowRoot, attachmentCss);
  }

  // The view's state: every change renders the element again.
  get download() {
    return this.#download;
  }
  set download(value: ActiveDownload | undefined) {
    this.#download = value;
    this.host.requestUpdate();
  }
  get downloadError() {
    return this.#downloadError;
  }
  set downloadError(value: RtmError | undefined) {
    this.#downloadError = value;
    this.host.requestUpdate();
  }
  get originalUrl() {
    return this.#originalUrl;
  }
  set originalUrl(value: string | undefined) {
    this.#originalUrl = value;
    this.host.requestUpdate();
  }
  get lightboxOpen() {
    return this.#lightboxOpen;
  }
  set lightboxOpen(value: boolean) {
    this.#lightboxOpen = value;
    this.host.requestUpdate();
  }

  get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog');
  }

  get previewButton(): HTMLButtonElement | null {
    return this.host.renderRoot.querySelector('[part~="preview"]');
  }

  /** The element left the page: stop the download, free the original's URL. */
  disconnected(): void {
    this.download?.cancel();
    this.releaseOriginal();
  }

  // ---- downloads ------------------------------------------------------------------------------

  startDownload(purpose: ActiveDownload['purpose']): void {
    const mediaId = this.host.attachment.mediaId;
    if (!mediaId || !this.host.session || this.download) return;
    this.downloadError = undefined;
    const started = this.host.session.download(mediaId);
    const active: ActiveDownload = { ...started, purpose };
    this.download = active;
    this.host.followDownload(started.transfer);
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
        const rtmError = this.host.toRtmError(error);
        if (rtmError.reason === 'CANCELLED') return;
        this.downloadError = rtmError;
        this.host.reportError(rtmError);
      },
    );
  }

  finishDownload(): void {
    this.download = undefined;
    this.host.followDownload(undefined);
  }

  cancelDownload(): void {
    this.download?.cancel();
  }

  save(blob: Blob): void {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = this.host.attachment.fileName;
    link.rel = 'noopener';
    link.click();
    // The browser has taken the download by the next task; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  showOriginal(blob: Blob): void {
    this.releaseOriginal();
    this.originalUrl = URL.createObjectURL(blob);
  }

  releaseOriginal(): void {
    if (this.originalUrl) URL.revokeObjectURL(this.originalUrl);
    this.originalUrl = undefined;
  }

  // ---- lightbox -------------------------------------------------------------------------------

  async openLightbox(): Promise<void> {
    this.lightboxOpen = true;
    await this.host.updateComplete;
    this.dialog?.showModal();
    if (!this.originalUrl) this.startDownload('lightbox');
  }

  closeLightbox(): void {
    this.dialog?.close();
  }

  onDialogClose(): void {
    this.lightboxOpen = false;
    if (this.download?.purpose === 'lightbox') this.cancelDownload();
    // Focus goes back to what opened the dialog, so keyboard users keep their place.
    this.previewButton?.focus();
  }

  onDialogClick(event: MouseEvent): void {
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    if (event.target === this.dialog) this.closeLightbox();
  }

  // ---- rendering ------------------------------------------------------------------------------

  renderProgress(transfer: TransferSnapshot | undefined, name: string, onCancel: () => void, cancelLabel: string) {
    const total = transfer?.totalSize || this.host.attachment.size || 1;
    const current = transfer?.currentSize ?? 0;
    const percent = Math.min(100, Math.floor((current / total) * 100));
    return html`<div class="transfer">
      <progress part="progress" max="100" .value=${percent} aria-label=${attachmentStrings.transferProgress(name)}></progress>
      <span part="percent">${percent}%</span>
      <button part="cancel-button" class="pill" type="button" aria-label=${cancelLabel} @click=${onCancel}>${strings.cancel()}</button>
    </div>`;
  }

  renderFacts(attachment: ChatAttachment) {
    return html`<span part="name" class="name">${attachment.fileName}</span>
      <span part="size" class="size">${formatBytes(attachment.size)}</span>`;
  }

  renderPreviewImage(attachment: ChatAttachment) {
    const style = previewBox(attachment);
    return attachment.thumbnailUrl
      ? html`<img part="thumbnail" src=${attachment.thumbnailUrl} alt="" style=${style} />`
      : html`<span part="thumbnail" class="placeholder" style=${style}></span>`;
  }

  renderLocal(attachment: ChatAttachment) {
    const message = this.host.message!;
    const transfer = this.host.upload.value;
    const failed = message.status === 'failed';
    return html`<div class="card local ${attachment.kind}">
      ${attachment.kind === 'image' ? this.renderPreviewImage(attachment) : html`<span part="icon" class="icon" aria-hidden="true"></span>`}
      <div class="facts">
        ${this.renderFacts(attachment)}
        ${failed
          ? html`<span part="error" class="error">${message.error?.reason === 'CANCELLED' ? attachmentStrings.cancelled : attachmentStrings.uploadFailed}</span>
              <button
                part="retry-button"
                class="pill"
                type="button"
                aria-label=${attachmentStrings.retryUpload(attachment.fileName)}
                @click=${() => this.host.session?.retry(message.conversation, message.localId)}
              >
                ${strings.retry()}
              </button>`
          : message.status === 'uploading'
            ? this.renderProgress(
                transfer,
                attachment.fileName,
                () => this.host.session?.cancelUpload(message.conversation, message.localId),
                attachmentStrings.cancelUploadOf(attachment.fileName),
              )
            : nothing}
      </div>
    </div>`;
  }

  renderDownloadState(attachment: ChatAttachment, purpose: ActiveDownload['purpose']) {
    if (this.download?.purpose === purpose) {
      return this.renderProgress(
        this.host.downloadTransfer,
        attachment.fileName,
        () => this.cancelDownload(),
        attachmentStrings.cancelDownloadOf(attachment.fileName),
      );
    }
    if (this.downloadError) {
      return html`<span part="error" class="error" role="alert">${attachmentStrings.downloadFailed}: ${this.downloadError.message}</span>
        <button
          part="retry-button"
          class="pill"
          type="button"
          aria-label=${attachmentStrings.retryDownload(attachment.fileName)}
          @click=${() => this.startDownload(purpose)}
        >
          ${strings.retry()}
        </button>`;
    }
    return nothing;
  }

  renderRemoteImage(attachment: ChatAttachment) {
    return html`<div class="card remote image">
        <button part="preview" type="button" aria-label=${attachmentStrings.openImage(attachment.fileName)} aria-haspopup="dialog" @click=${() => this.openLightbox()}>
          ${this.renderPreviewImage(attachment)}
        </button>
      </div>
      ${this.lightboxOpen
        ? html`<dialog part="lightbox" aria-label=${attachment.fileName} @close=${() => this.onDialogClose()} @click=${(event: MouseEvent) => this.onDialogClick(event)}>
            <div class="lightbox-bar">
              ${this.renderFacts(attachment)}
              <button part="close-button" class="pill" type="button" @click=${() => this.closeLightbox()}>${attachmentStrings.close}</button>
            </div>
            <div class="lightbox-body">
              ${this.originalUrl
                ? html`<img part="lightbox-image" src=${this.originalUrl} alt=${attachment.fileName} />`
                : html`${this.renderPreviewImage(attachment)} ${this.renderDownloadState(attachment, 'lightbox')}`}
            </div>
          </dialog>`
        : nothing}`;
  }

  renderRemoteFile(attachment: ChatAttachment) {
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
              aria-label=${attachmentStrings.downloadFile(attachment.fileName)}
              ?disabled=${!this.host.session || !attachment.mediaId}
              @click=${() => this.startDownload('save')}
            >
              ${strings.download()}
            </button>`}
      </div>
    </div>`;
  }

  /** A voice message or a video: the browser's own player (seek bar, keyboard, captions), on a signed URL. */
  renderPlayer(attachment: ChatAttachment) {
    const mediaId = attachment.mediaId;
    if (mediaId && this.#playerUrl === undefined && this.host.session) {
      this.#playerUrl = '';
      this.host.session.mediaUrl(mediaId).then(
        (url) => {
          this.#playerUrl = url;
          this.host.requestUpdate();
        },
        (error: unknown) => {
          this.#playerUrl = undefined;
          this.downloadError = this.host.toRtmError(error);
        },
      );
    }
    const url = this.#playerUrl || undefined;
    const label = attachmentStrings.play(attachment.fileName, formatDuration(attachment.durationMs ?? 0));
    return html`<div class="card remote ${attachment.kind}">
      ${attachment.kind === 'video'
        ? html`<video part="player" controls preload="metadata" aria-label=${label} poster=${attachment.thumbnailUrl ?? nothing} src=${url ?? nothing} style=${previewBox(attachment)}></video>`
        : html`<audio part="player" controls preload="metadata" aria-label=${label} src=${url ?? nothing}></audio>`}
      ${this.downloadError ? html`<span part="error" class="error" role="alert">${attachmentStrings.downloadFailed}: ${this.downloadError.message}</span>` : nothing}
    </div>`;
  }

  #playerUrl: string | undefined;

  render() {
    const attachment = this.host.attachment;
    if (this.host.isLocal) return this.renderLocal(attachment);
    if (attachment.kind === 'audio' || attachment.kind === 'video') return this.renderPlayer(attachment);
    return attachment.kind === 'image' ? this.renderRemoteImage(attachment) : this.renderRemoteFile(attachment);
  }
}
