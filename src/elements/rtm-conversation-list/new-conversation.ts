import { html, nothing } from 'lit/html.js';
import { checkChannelName, checkUserId } from '../../protocol/ids.js';
import { conversationKey, type ConversationKind } from '../../store/keys.js';
import { adoptCss, css } from '../internal/css-text.js';
import { errorText } from '../internal/error-text.js';
import { strings } from '../internal/strings.js';
import type { ConversationListHost } from './conversation-list-view.js';
import { newConversationStrings as text } from './new-conversation.strings.js';

/**
 * The inbox's "New conversation" form: a person or a channel, its user id or name checked with the
 * protocol's id rules as it is typed, the list's recent peers (or channels) offered, Enter starts.
 * The conversation opens in `<rtm-chat>` like one chosen from the list (a channel is joined by
 * showing it, as any shown channel is) and its composer takes the keyboard; Escape or Cancel
 * closes the form and gives the focus back to the button. Loaded once the button is pointed at,
 * focused or pressed (a companion file of the script-tag build, a chunk of the ESM build):
 * inboxes where nobody starts a conversation never fetch it.
 */

interface Draft {
  kind: ConversationKind;
  /** What is typed, as typed. */
  value: string;
  /** The localized text of the typed id's error, or '' (nothing typed yet counts as no error). */
  error: string;
}

/** The open forms, by list (one form per list). */
const drafts = new WeakMap<ConversationListHost, Draft>();

/** How many of the list's most recent peers (or channels) are offered. */
const OFFERED = 20;

const formCss = css`
  [part~='new-conversation-form'] {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) * 0.75);
    margin-top: var(--_gap);
  }

  [part~='new-conversation-kind'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    margin: 0;
    padding: 0;
    border: none;
  }

  legend,
  .field-label {
    padding: 0;
    margin-bottom: 0.25rem;
    color: var(--_muted);
    font-size: 0.8125em;
  }

  [part~='new-conversation-input'] {
    width: 100%;
    padding: 0.375rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
  }

  [part~='new-conversation-input'][aria-invalid='true'] {
    border-color: var(--_error);
  }

  [part~='new-conversation-error'] {
    margin: 0;
    color: var(--_error);
    font-size: 0.8125em;
  }

  .actions {
    display: flex;
    gap: var(--_gap);
  }

  [part~='start-button'] {
    border: none;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-size: 0.8125em;
    font-weight: 600;
    padding: 0.2rem 0.875rem;
    cursor: pointer;
  }
`;

/** Why `id` names no conversation of this kind (the protocol's checks), or undefined. */
const problem = (kind: ConversationKind, id: string) => (kind === 'peer' ? checkUserId(id) : checkChannelName(id));

/**
 * What is checked and opened: the typed text without surrounding spaces (no id may start or end
 * with one, so a space typed before the next word is not an error yet).
 */
const idOf = (draft: Draft) => draft.value.trim();

/** Checks the draft as it stands; an empty one shows no error until it is submitted. */
function validate(draft: Draft): void {
  const id = idOf(draft);
  const error = id ? problem(draft.kind, id) : undefined;
  draft.error = error ? errorText(error) : '';
}

const button = (host: ConversationListHost) => host.renderRoot.querySelector<HTMLElement>('[part~="new-conversation-button"]');
const input = (host: ConversationListHost) => host.renderRoot.querySelector<HTMLInputElement>('[part~="new-conversation-input"]');

/** Whether the list's form is open (the button's `aria-expanded`). */
export function isNewConversationOpen(host: ConversationListHost): boolean {
  return drafts.has(host);
}

/** The button was pressed: opens the form with the keyboard in its textbox, or closes it. */
export async function toggleNewConversation(host: ConversationListHost): Promise<void> {
  if (drafts.has(host)) return closeForm(host);
  drafts.set(host, { kind: 'peer', value: '', error: '' });
  host.requestUpdate();
  await host.updateComplete;
  input(host)?.focus();
}

/** Closes the form; the button gets the focus first, so it is never lost with the form. */
function closeForm(host: ConversationListHost): void {
  button(host)?.focus();
  drafts.delete(host);
  host.requestUpdate();
}

function start(host: ConversationListHost, draft: Draft): void {
  const id = idOf(draft);
  const error = problem(draft.kind, id);
  if (error) {
    draft.error = errorText(error);
    host.requestUpdate();
    input(host)?.focus();
    return;
  }
  closeForm(host);
  host.select(conversationKey(draft.kind, id), true);
  void focusComposer(host);
}

/**
 * The started conversation's composer takes the keyboard, ready for the first message. It opens
 * in `<rtm-chat>`'s shadow root, beside the list (or in its place on a narrow screen, where the
 * button is hidden). A list used on its own leaves the focus on its button.
 */
async function focusComposer(host: ConversationListHost): Promise<void> {
  const root = (host as unknown as Element).getRootNode();
  if (!(root instanceof ShadowRoot) || root.host.localName !== 'rtm-chat') return;
  await (root.host as HTMLElementTagNameMap['rtm-chat']).updateComplete;
  const channel = root.querySelector('rtm-channel');
  await channel?.updateComplete;
  const composer = channel?.shadowRoot?.querySelector('rtm-composer');
  await composer?.updateComplete;
  composer?.focus();
}

/** The form, while open (under the New conversation button, whose text names it). */
export function renderNewConversation(host: ConversationListHost) {
  const draft = drafts.get(host);
  if (!draft) return nothing;
  adoptCss(host.renderRoot as ShadowRoot, formCss);
  const peer = draft.kind === 'peer';
  const offered = host.conversations.filter((entry) => entry.kind === draft.kind).slice(0, OFFERED);
  const choose = (kind: ConversationKind) => {
    draft.kind = kind;
    validate(draft);
    host.requestUpdate();
  };
  return html`<form
    part="new-conversation-form"
    id="new-conversation"
    aria-labelledby="new-conversation-button"
    @submit=${(event: Event) => {
      event.preventDefault();
      start(host, draft);
    }}
    @keydown=${(event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // Handled here, so a popup around the inbox stays open.
      event.preventDefault();
      closeForm(host);
    }}
  >
    <fieldset part="new-conversation-kind">
      <legend>${text.kind}</legend>
      <label><input type="radio" name="new-conversation-kind" .checked=${peer} @change=${() => choose('peer')} /> ${text.person}</label>
      <label><input type="radio" name="new-conversation-kind" .checked=${!peer} @change=${() => choose('channel')} /> ${text.channel}</label>
    </fieldset>
    <label class="field-label" for="new-conversation-id">${peer ? text.userId : text.channelName}</label>
    <input
      part="new-conversation-input"
      id="new-conversation-id"
      type="text"
      list="new-conversation-recent"
      autocomplete="off"
      autocapitalize="off"
      spellcheck="false"
      enterkeyhint="go"
      aria-invalid=${draft.error ? 'true' : 'false'}
      aria-describedby="new-conversation-error"
      .value=${draft.value}
      @input=${(event: Event) => {
        draft.value = (event.target as HTMLInputElement).value;
        validate(draft);
        host.requestUpdate();
      }}
    />
    <datalist id="new-conversation-recent">${offered.map((entry) => html`<option value=${entry.id}></option>`)}</datalist>
    <p part="new-conversation-error" id="new-conversation-error" aria-live="polite">${draft.error}</p>
    <div class="actions">
      <button part="start-button" type="submit">${peer ? text.start : text.join}</button>
      <button part="cancel-button" class="pill" type="button" @click=${() => closeForm(host)}>${strings.cancel()}</button>
    </div>
  </form>`;
}
