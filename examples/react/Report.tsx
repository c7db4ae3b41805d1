import type { FormEvent } from 'react';

export interface ReportProps {
  user: string;
  peer: string;
  state: string;
  unread: number;
  lastMessage: string;
  onPeerChange(peer: string): void;
}

/** The examples' own UI around the widget: pick a peer, and what the widget's events reported. */
export function Report({ user, peer, state, unread, lastMessage, onPeerChange }: ReportProps) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new FormData(event.currentTarget).get('peer');
    if (typeof next === 'string' && next) onPeerChange(next);
  };
  return (
    <>
      <form onSubmit={submit}>
        Signed in as <b>{user}</b>. <label>Talk to <input name="peer" defaultValue={peer} /></label> <button>Open</button>
      </form>
      <dl aria-label="What the widget reported">
        <dt>Connection</dt>
        <dd id="connection">{state}</dd>
        <dt>Unread</dt>
        <dd id="unread">{unread}</dd>
        <dt>Last message</dt>
        <dd id="last-message">{lastMessage}</dd>
      </dl>
    </>
  );
}

/** How the examples show a received message. */
export function describeMessage(message: { from: string; text: string | undefined; message: { messageType: string } }): string {
  return `${message.from}: ${message.text ?? message.message.messageType}`;
}
