import { html } from 'lit/html.js';
import type { ChatSession, ConversationKey } from '../../store/index.js';
import { adoptCss, css } from '../internal/css-text.js';
import { fileStrings } from './file-drop.strings.js';
import { errorText } from '../internal/error-text.js';

/**
 * Files for a conversation, by drag and drop or picked in the composer: the drop target with its
 * hint while files are dragged over, and the checks before sending (empty, over 30 MB, a bad
 * name: then nothing is sent and the composer says why). Loaded with the first file dragged in
 * or picked (a companion file of the script-tag build, a chunk of the ESM build): a conversation
 * of text never needs it.
 */

/** What the drop target needs of `<rtm-channel>`. */
export interface FileDropHost extends HTMLElement {
  readonly conversation: ConversationKey | undefined;
  readonly session: ChatSession | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Shows why files were refused, under the composer. */
  showComposerError(message: string): void;
  requestUpdate(): void;
}

const styles = css`
  .drop-hint {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_bg) 85%, transparent);
    color: var(--_accent);
    font-weight: 600;
    pointer-events: none;
  }
`;

const hasFiles = (event: DragEvent): boolean => Boolean(event.dataTransfer?.types.includes('Files'));

export class FileDrop {
  readonly #host: FileDropHost;
  /** dragenter and dragleave fire for every child crossed; only the outermost leave ends the drag. */
  #depth = 0;
  dragging = false;

  /** Makes the element a drop target; `first` is the dragenter that loaded this module. */
  constructor(host: FileDropHost, first: DragEvent | undefined) {
    this.#host = host;
    adoptCss(host.renderRoot as ShadowRoot, styles);
    host.addEventListener('dragenter', this.#enter);
    host.addEventListener('dragover', this.#over);
    host.addEventListener('dragleave', this.#leave);
    host.addEventListener('drop', this.#drop);
    if (first) this.#enter(first);
  }

  #enter = (event: DragEvent): void => {
    if (!hasFiles(event) || !this.#host.conversation) return;
    event.preventDefault();
    this.#depth++;
    this.#set(true);
  };

  #over = (event: DragEvent): void => {
    if (!hasFiles(event) || !this.#host.conversation) return;
    // Accepting dragover is what makes the element a drop target.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  #leave = (): void => {
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.#set(false);
  };

  #drop = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    this.#depth = 0;
    this.#set(false);
    this.send([...(event.dataTransfer?.files ?? [])]);
  };

  #set(dragging: boolean): void {
    this.dragging = dragging;
    this.#host.requestUpdate();
  }

  /**
   * Sends files, each as its own message. All are checked first; if any is refused nothing is
   * uploaded and the composer says why.
   */
  send(files: readonly File[]): void {
    const host = this.#host;
    const key = host.conversation;
    const session = host.session;
    if (!key || !session || files.length === 0) return;
    const problems = session
      .validateFiles(key, files)
      .map((error, index) => (error ? fileStrings.fileProblem(files[index]!.name || 'file', errorText(error)) : undefined))
      .filter((problem): problem is string => problem !== undefined);
    try {
      if (problems.length > 0) throw new Error(problems.join(' '));
      session.sendFiles(key, files);
    } catch (error) {
      host.showComposerError(errorText(error));
    }
  }

  /** The hint over the conversation while files are dragged over it. */
  render() {
    return this.dragging ? html`<div part="drop-hint" class="drop-hint" aria-hidden="true">${fileStrings.dropFiles}</div>` : undefined;
  }
}
