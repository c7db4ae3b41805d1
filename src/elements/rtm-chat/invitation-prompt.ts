import { html } from 'lit/html.js';
import type { ChatInvitation } from '../../store/index.js';
import { adoptCss, css } from '../internal/css-text.js';
import { invitationStrings } from './invitation-prompt.strings.js';

/**
 * The prompt `<rtm-chat>` shows for an incoming call invitation: who is calling, Accept and
 * Decline. It is announced (role `alert`) without taking the keyboard from what the user is
 * typing. Loaded with the first invitation (a companion file of the script-tag build, a chunk of
 * the ESM build); its styles go after the element's own on the first render.
 */
export interface InvitationPromptHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The caller's display name, or their user id. */
  nameOf(uid: string): string;
  answer(invitation: ChatInvitation, accept: boolean): void;
}

const promptCss = css`
  .invitation {
    position: absolute;
    inset-inline: var(--_gap);
    inset-block-start: var(--_gap);
    z-index: 2;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
    padding: var(--_gap) calc(var(--_gap) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 6px 18px rgb(0 0 0 / 0.18);
  }

  .invitation p {
    margin: 0;
    flex: 1 1 12rem;
    font-weight: 600;
  }

  .invitation button {
    padding: 0.35rem 0.9rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }

  .invitation [part~='accept-button'] {
    border-color: var(--rtm-color-accept, #1a7f37);
    background: var(--rtm-color-accept, #1a7f37);
    color: var(--rtm-color-on-accept, #ffffff);
  }
`;

export function renderInvitationPrompt(host: InvitationPromptHost, invitation: ChatInvitation) {
  adoptCss(host.renderRoot as ShadowRoot, promptCss);
  const id = `invitation-${invitation.id.replace(/\W/g, '-')}`;
  return html`<div part="invitation" class="invitation" role="group" aria-labelledby=${id}>
    <p id=${id} role="alert">${invitationStrings.calling(host.nameOf(invitation.from))}</p>
    <button part="accept-button" type="button" @click=${() => host.answer(invitation, true)}>${invitationStrings.accept}</button>
    <button part="decline-button" type="button" @click=${() => host.answer(invitation, false)}>${invitationStrings.decline}</button>
  </div>`;
}
