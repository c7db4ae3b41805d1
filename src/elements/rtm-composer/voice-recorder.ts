import { html } from 'lit/html.js';
import { MAX_VOICE_RECORDING_MS } from '../../protocol/index.js';
import { adoptCss, css } from '../internal/css-text.js';
import { recorderStrings } from './voice-recorder.strings.js';
import { errorText } from '../internal/error-text.js';

/**
 * The composer's voice recorder (MediaRecorder): the microphone button either toggles — press to
 * start, press again to send, as by keyboard — or is held: recording runs while it is held and is
 * sent on release. While recording, the composer shows a timer and Cancel in place of the textbox;
 * Escape cancels too. Recording stops and sends at MAX_VOICE_RECORDING_MS. The composer gets a
 * `rtm-composer-voice` event with the file and the duration measured here (a MediaRecorder file
 * has no usable duration header). Loaded on the first press (a companion file of the script-tag
 * build, a chunk of the ESM build).
 */

/** Fired (not composed) with a recorded voice message to send. */
export class RtmComposerVoiceEvent extends Event {
  static readonly eventName = 'rtm-composer-voice';
  constructor(
    readonly file: File,
    readonly durationMs: number,
  ) {
    super(RtmComposerVoiceEvent.eventName, { bubbles: true, cancelable: true });
  }
}

/** What the recorder needs of the composer. */
export interface RecorderHost extends HTMLElement {
  /** The recording in progress; the composer shows its bar while set. */
  recording: VoiceRecording | undefined;
  showError(message: string): void;
  focus(): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Voice formats by preference: Opus in WebM (Chromium, Firefox), in Ogg, then MP4 (Safari). */
const VOICE_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** A press held at least this long is a hold: releasing it sends. A shorter one toggles. */
const HOLD_MS = 500;

const styles = css`
  [part~='recording'] {
    flex: 1;
    display: flex;
    align-items: center;
    gap: var(--_gap);
    min-height: 2.5rem;
    padding: 0 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    color: var(--_text);
  }

  .dot {
    width: 0.625rem;
    height: 0.625rem;
    border-radius: 50%;
    background: var(--_error);
    animation: rtm-pulse 1s ease-in-out infinite alternate;
  }

  @keyframes rtm-pulse {
    to {
      opacity: 0.3;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .dot {
      animation: none;
    }
  }

  [part~='recording-time'] {
    font-variant-numeric: tabular-nums;
  }

  [part~='cancel-recording-button'] {
    margin-inline-start: auto;
    background: transparent;
    color: var(--_text);
    border: 1px solid var(--_border);
  }

  [part~='record-button'][aria-pressed='true'] {
    color: var(--_error);
    border-color: currentColor;
  }
`;

/** One recording, from the microphone's permission to the file. */
export class VoiceRecording {
  /** How long it has been recording, in ms (the timer). */
  elapsedMs = 0;
  readonly #host: RecorderHost;
  readonly #stream: MediaStream;
  readonly #recorder: MediaRecorder;
  readonly #chunks: Blob[] = [];
  readonly #startedAt = performance.now();
  readonly #timer: ReturnType<typeof setInterval>;
  /** When the pointer press that started it began, while that press may still be a hold. */
  pressedAt: number | undefined;
  /** The click after a tap's release is the tap itself, not the press that sends. */
  ignoreNextClick = false;

  constructor(host: RecorderHost, stream: MediaStream, recorder: MediaRecorder) {
    this.#host = host;
    this.#stream = stream;
    this.#recorder = recorder;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.#chunks.push(event.data);
    };
    recorder.start(1000);
    this.#timer = setInterval(() => {
      this.elapsedMs = performance.now() - this.#startedAt;
      if (this.elapsedMs >= MAX_VOICE_RECORDING_MS) this.stop(true);
      else host.requestUpdate();
    }, 250);
  }

  /** Ends the recording; with `send`, the composer gets the file (once the recorder flushed it). */
  stop(send: boolean): void {
    if (this.#host.recording !== this) return;
    clearInterval(this.#timer);
    const durationMs = Math.min(MAX_VOICE_RECORDING_MS, Math.round(performance.now() - this.#startedAt));
    this.#recorder.onstop = () => {
      this.#stream.getTracks().forEach((track) => track.stop());
      if (!send) return;
      const type = (this.#recorder.mimeType || 'audio/webm').split(';', 1)[0]!;
      const extension = type === 'audio/mp4' ? 'm4a' : type.slice(type.indexOf('/') + 1);
      const file = new File(this.#chunks, `voice-message.${extension}`, { type });
      this.#host.dispatchEvent(new RtmComposerVoiceEvent(file, Math.max(1, durationMs)));
    };
    this.#recorder.stop();
    this.#host.recording = undefined;
    // The textbox comes back: the keyboard goes there.
    void this.#host.updateComplete.then(() => this.#host.focus());
  }

  /** The bar shown in place of the textbox while recording. */
  render() {
    // "0:07": minutes and seconds of the elapsed time (under MAX_VOICE_RECORDING_MS, an hour).
    const time = new Date(this.elapsedMs).toISOString().slice(15, 19);
    return html`<div
      part="recording"
      role="group"
      aria-label=${recorderStrings.recording}
      @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.stop(false)}
    >
      <span class="dot" aria-hidden="true"></span>
      <span part="recording-time" role="timer">${time}</span>
      <button part="cancel-recording-button" type="button" @click=${() => this.stop(false)}>${recorderStrings.cancelRecording}</button>
    </div>`;
  }
}

/** Recordings being started (waiting for the microphone), by composer. */
const starting = new WeakMap<RecorderHost, { released: boolean }>();

/**
 * What a press of the microphone button means. The composer passes its pointerdown, pointerup and
 * click here, in order. A pointer press starts recording; released after HOLD_MS it was a hold and
 * sends, released sooner it was a tap and recording goes on until the next tap. By keyboard
 * (a click with detail 0) every press toggles.
 */
export async function onRecordButton(host: RecorderHost, event: PointerEvent | MouseEvent): Promise<void> {
  const recording = host.recording;
  if (event.type === 'pointerdown') {
    if ((event as PointerEvent).button !== 0 || recording || starting.has(host)) return;
    try {
      // Keeps the release on the button, wherever the pointer went while holding (the layout
      // changes under it). The event has been dispatched by now: its target is no longer set.
      host.renderRoot.querySelector('[part~="record-button"]')!.setPointerCapture((event as PointerEvent).pointerId);
    } catch {
      // A pointer that is already gone: its release, if any, comes as usual.
    }
    await start(host, event.timeStamp);
  } else if (event.type === 'pointerup') {
    const pending = starting.get(host);
    // Released while the microphone was still being granted: a tap.
    if (pending) pending.released = true;
    else if (recording?.pressedAt !== undefined) {
      const held = event.timeStamp - recording.pressedAt >= HOLD_MS;
      recording.pressedAt = undefined;
      if (held) recording.stop(true);
      // The click that follows this release belongs to the press that started recording.
      else recording.ignoreNextClick = true;
    }
  } else if (event.detail === 0) {
    if (recording) recording.stop(true);
    else if (!starting.has(host)) await start(host, undefined);
  } else if (recording?.ignoreNextClick) {
    recording.ignoreNextClick = false;
  } else {
    recording?.stop(true);
  }
}

async function start(host: RecorderHost, pressedAt: number | undefined): Promise<void> {
  const pending = { released: false };
  starting.set(host, pending);
  try {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') throw new Error('this browser cannot record audio');
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const mimeType = VOICE_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const recording = new VoiceRecording(host, stream, new MediaRecorder(stream, mimeType ? { mimeType } : undefined));
    if (pending.released) recording.ignoreNextClick = true;
    else recording.pressedAt = pressedAt;
    adoptCss(host.renderRoot as ShadowRoot, styles);
    host.recording = recording;
    host.showError('');
  } catch (error) {
    host.showError(recorderStrings.unavailable(errorText(error)));
  } finally {
    starting.delete(host);
  }
}
