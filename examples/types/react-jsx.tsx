// Typing tests for rtm-chat/react: each @ts-expect-error must be an error, so typings that
// accept anything (or miss an element) fail the check (test/e2e/frameworks.test.ts runs it).
import type {} from 'rtm-chat/react';
import type { RtmChatElement, RtmMessageEvent } from 'rtm-chat';
import { useRef } from 'react';

export function Valid() {
  const chat = useRef<RtmChatElement>(null);
  const onMessage = (event: RtmMessageEvent) => event.detail.message.text;
  return (
    <rtm-chat
      ref={chat}
      server="https://chat.example.com"
      app-id="demo"
      user-id="alice"
      mode="popup"
      unread-in-title
      tokenProvider={async () => 'token'}
      onrtm-message={onMessage}
      onrtm-unread-change={(event) => event.detail.total.toFixed()}
      onrtm-connection-change={(event) => event.detail.state === 'CONNECTED'}
      onrtm-error={(event) => event.detail.error.code}
      className="chat"
    >
      <rtm-channel peer="bob" no-header onrtm-error={(event) => event.detail.error.reason} />
      <rtm-attachment kind="image" media-id="m1" file-name="a.png" size={10} width={4} height={3} />
    </rtm-chat>
  );
}

export function Invalid() {
  return (
    <>
      {/* @ts-expect-error mode is inline or popup */}
      <rtm-chat mode="sideways" />
      {/* @ts-expect-error a token provider returns a promise of a string */}
      <rtm-chat tokenProvider={() => 'token'} />
      {/* @ts-expect-error rtm-message's detail has no total */}
      <rtm-chat onrtm-message={(event) => event.detail.total} />
      {/* @ts-expect-error size is a number of bytes */}
      <rtm-attachment size="big" />
      {/* @ts-expect-error no such attribute */}
      <rtm-channel peers="bob" />
    </>
  );
}
