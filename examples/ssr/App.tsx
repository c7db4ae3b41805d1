import { useEffect, useRef, useState } from 'react';
import type {} from 'rtm-chat/react';
import type { RtmChatElement } from 'rtm-chat';
import { devTokenProvider, type PageOptions } from '../shared/page-options.js';
import { Report, describeMessage } from '../react/Report.js';

/**
 * The widget in a server-rendered React page. The server renders `<rtm-chat>` with its attributes;
 * a function (the token provider) and event listeners exist only in the browser. React 19 does not
 * set a custom element's properties or `on<event>` props when it hydrates server markup (only on
 * a later render: facebook/react#35446), so this page sets them in an effect on the element, which
 * runs right after hydration. The attributes stay in JSX, so the HTML from the server carries them.
 */
export function App({ server, user, peer: firstPeer }: PageOptions) {
  const [peer, setPeer] = useState(firstPeer);
  const [state, setState] = useState('IDLE');
  const [unread, setUnread] = useState(0);
  const [lastMessage, setLastMessage] = useState('none yet');
  const chat = useRef<RtmChatElement>(null);

  useEffect(() => {
    const element = chat.current!;
    element.tokenProvider = devTokenProvider(server, user);
    const controller = new AbortController();
    const { signal } = controller;
    element.addEventListener('rtm-connection-change', (event) => setState(event.detail.state), { signal });
    element.addEventListener('rtm-unread-change', (event) => setUnread(event.detail.total), { signal });
    element.addEventListener('rtm-message', (event) => setLastMessage(describeMessage(event.detail.message)), { signal });
    element.addEventListener('rtm-error', (event) => console.warn('rtm-chat:', event.detail.error.code, event.detail.error.message), { signal });
    return () => controller.abort();
  }, [server, user]);

  return (
    <main>
      <h1>rtm-chat in a server-rendered React page</h1>
      <Report user={user} peer={peer} state={state} unread={unread} lastMessage={lastMessage} onPeerChange={setPeer} />
      <rtm-chat ref={chat} server={server} app-id="demo" user-id={user}>
        <rtm-channel peer={peer}></rtm-channel>
      </rtm-chat>
    </main>
  );
}
