import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { strings } from '../internal/strings.js';
import { composerStyles } from './rtm-composer.styles.js';
import { importVoiceRecorder, type VoiceRecorderModule } from './load-voice-recorder.js';
import type { RtmComposerVoiceEvent } from './voice-recorder.js';
import { importMentionPicker, type MentionPickerModule } from './load-mention-picker.js';

/** Fired (not composed) when the user asks to send; the owner validates and clears. */
export class RtmComposerSubmitEvent extends Event {
  static readonly eventName = 'rtm-composer-submit';
  constructor(readonly text: string) {
    super(RtmComposerSubmitEvent.eventName, { bubbles: true, cancelable: true });
  }
}

/**
 * The message box of a conversation: a multi-line textbox named "Message" and a "Send" button that
 * is disabled while the box is empty. Enter sends, Shift+Enter adds a line; Enter while an IME is
 * composing is left to the IME. The owner validates the text and either calls {@link clear} or
 * {@link showError}, which keeps the typed text and shows the error in a `role="alert"` region.
 *
 * Internal part of `<rtm-channel>`.
 *
 * @fires rtm-composer-submit - the user pressed Send or Enter
 * @fires rtm-composer-files - the user picked or pasted files
 * @fires rtm-composer-voice - the user recorded a voice message (file and duration on the event)
 * @csspart form - the composer row
 * @csspart input - the textbox
 * @csspart send-button - the Send button
 * @csspart attach-button - the Attach file button
 * @csspart record-button - the microphone button: tap to record and tap to send, or hold
 * @csspart recording - the bar shown while recording (also `recording-time`, `cancel-recording-button`)
 * @csspart mention-list - members offered after "@" in a channel (also `mention-option`)
 * @csspart error - the inline error under the textbox
 *
 * @tagname rtm-composer
 */
export class RtmComposerElement extends LitElement {
  constructor() {
    super();
    // Renders again when the widget's locale changes (internal/locale.ts).
    updateWhenLocaleChanges(this);
  }

  static override styles = composerStyles;

  // Declared without decorators: the decorator helpers cost the script-tag bundle bytes.
  static override properties = {
    disabled: { type: Boolean, reflect: true },
    placeholder: {},
    text: { state: true, attribute: false },
    error: { state: true, attribute: false },
    mentionCandidates: { attribute: false },
    recording: { state: true, attribute: false },
  };

  /** Who can be mentioned after "@" (a channel's members); unset, no picker is offered. */
  mentionCandidates: (() => readonly string[]) | undefined;

  /** @internal The voice recording in progress (the recorder module sets it). */
  recording: InstanceType<VoiceRecorderModule['VoiceRecording']> | undefined;

  private mentions: InstanceType<MentionPickerModule['MentionPicker']> | undefined;

  /** The microphone button's presses, interpreted by the recorder (loaded on the first). */
  private onRecordButton = (event: PointerEvent | MouseEvent): void => {
    void importVoiceRecorder().then((module) => module.onRecordButton(this, event));
  };

  /** After typing "@" where mentions are offered: the picker (loaded then) looks at the caret. */
  private findMention(): void {
    const textarea = this.textarea;
    if (this.mentionCandidates && (this.mentions || textarea.value.slice(0, textarea.selectionStart).includes('@'))) {
      void importMentionPicker().then((module) => (this.mentions ??= new module.MentionPicker(this)).update());
    }
  }

  /** Disables typing and sending (e.g. no session yet). */
  disabled = false;

  /** Placeholder for the textbox. */
  placeholder = '';

  private text = '';
  private error = '';

  /** Rendered from the first update on (only used after it). */
  private get textarea(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('textarea')!;
  }

  private get fileInput(): HTMLInputElement {
    return this.renderRoot.querySelector('input[type="file"]')!;
  }

  /** The current draft. */
  get value(): string {
    return this.text;
  }

  /** Empties the box after a successful send and keeps focus in it for the next message. */
  clear(): void {
    this.text = '';
    this.error = '';
    if (this.textarea) this.textarea.value = '';
  }

  /** Shows why the draft was refused; the draft stays as typed. */
  showError(message: string): void {
    this.error = message;
  }

  override focus(options?: FocusOptions): void {
    this.textarea?.focus(options);
  }

  private get canSend(): boolean {
    return !this.disabled && this.text.trim().length > 0;
  }

  private onInput(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.error = '';
    this.findMention();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.mentions?.handleKey(event)) return;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.submit();
  }

  private onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    // Pasted files (screenshots, copied images) become attachments; text that came along still
    // goes into the box.
    if (!event.clipboardData?.types.includes('text/plain')) event.preventDefault();
    this.dispatchEvent(new RtmComposerFilesEvent(files));
  }

  private onFilesPicked(): void {
    const files = [...(this.fileInput.files ?? [])];
    // Reset so picking the same file again still fires change.
    this.fileInput.value = '';
    if (files.length > 0) this.dispatchEvent(new RtmComposerFilesEvent(files));
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.submit();
  }

  private submit(): void {
    if (!this.canSend) return;
    this.dispatchEvent(new RtmComposerSubmitEvent(this.text));
  }

  override render() {
    const errorId = 'composer-error';
    return html`
      <form part="form" @submit=${this.onSubmit}>
        <button
          part="attach-button"
          type="button"
          aria-label=${strings.attachFile()}
          title=${strings.attachFile()}
          ?disabled=${this.disabled}
          @click=${() => this.fileInput.click()}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path
              fill="currentColor"
              d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"
            />
          </svg>
        </button>
        <input type="file" multiple hidden tabindex="-1" @change=${this.onFilesPicked} />
        ${this.recording?.render() ?? html`<textarea
          part="input"
          rows="1"
          aria-label=${strings.message()}
          aria-describedby=${this.error ? errorId : nothing}
          aria-invalid=${this.error ? 'true' : 'false'}
          placeholder=${this.placeholder || nothing}
          .value=${this.text}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @paste=${this.onPaste}
          @blur=${() => this.mentions?.close()}
        ></textarea>`}
        ${this.mentions?.render()}
        ${typeof MediaRecorder === 'undefined'
          ? nothing
          : html`<button
              part="record-button"
              type="button"
              aria-label=${this.recording ? strings.sendVoice() : strings.recordVoice()}
              aria-pressed=${this.recording ? 'true' : 'false'}
              ?disabled=${this.disabled}
              @pointerdown=${this.onRecordButton}
              @pointerup=${this.onRecordButton}
              @click=${this.onRecordButton}
            >
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M12 15a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v7a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V22h2v-3.1a7 7 0 0 0 6-6.9z" />
              </svg>
            </button>`}
        ${this.recording ? nothing : html`<button part="send-button" type="submit" ?disabled=${!this.canSend}>${strings.send()}</button>`}
      </form>
      <div id=${errorId} part="error" role="alert">${this.error}</div>
    `;
  }
}

/** Fired (not composed) when the user picks, pastes or drops files to send. */
export class RtmComposerFilesEvent extends Event {
  static readonly eventName = 'rtm-composer-files';
  constructor(readonly files: readonly File[]) {
    super(RtmComposerFilesEvent.eventName, { bubbles: true, cancelable: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-composer': RtmComposerElement;
  }
  interface GlobalEventHandlersEventMap {
    'rtm-composer-submit': RtmComposerSubmitEvent;
    'rtm-composer-files': RtmComposerFilesEvent;
    'rtm-composer-voice': RtmComposerVoiceEvent;
  }
}
