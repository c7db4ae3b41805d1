import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { strings } from '../internal/strings.js';
import { composerStyles } from './rtm-composer.styles.js';

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
 * @csspart form - the composer row
 * @csspart input - the textbox
 * @csspart send-button - the Send button
 * @csspart error - the inline error under the textbox
 *
 * @tagname rtm-composer
 */
export class RtmComposerElement extends LitElement {
  static override styles = composerStyles;

  /** Disables typing and sending (e.g. no session yet). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Placeholder for the textbox. */
  @property() placeholder = '';

  @state() private text = '';
  @state() private error = '';

  @query('textarea') private textarea!: HTMLTextAreaElement;

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
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.submit();
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
        <textarea
          part="input"
          rows="1"
          aria-label=${strings.message}
          aria-describedby=${this.error ? errorId : nothing}
          aria-invalid=${this.error ? 'true' : 'false'}
          placeholder=${this.placeholder || nothing}
          .value=${this.text}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
        ></textarea>
        <button part="send-button" type="submit" ?disabled=${!this.canSend}>${strings.send}</button>
      </form>
      <div id=${errorId} part="error" role="alert">${this.error}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtm-composer': RtmComposerElement;
  }
  interface GlobalEventHandlersEventMap {
    'rtm-composer-submit': RtmComposerSubmitEvent;
  }
}
