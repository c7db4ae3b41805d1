import { useMemo, useState } from 'react';
import type {} from 'rtm-chat/react';
import { devTokenProvider, type PageOptions } from '../shared/page-options.js';
import { Report, describeMessage } from './Report.js';

/**
 * The widget in a client-rendered React 19 component: attributes as JSX attributes, the token
 * provider as a property (React 19 sets a custom element's known properties as properties), and
 * the widget's events as `on<event-name>` props. (A server-rendered page wires the last two in
 * an effect instead: see ../ssr/App.tsx.)
 */
export function App({ server, user, peer: firstPeer }: PageOptions) {
  const [peer, setPeer] = useState(firstPeer);
  const [state, setState] = useState('IDLE');
  const [unread, setUnread] = useState(0);
  const [lastMessage, setLastMessage] = useState('none yet');
  // One provider per user: a new function each render would be a new property value each time.
  const tokenProvider = useMemo(() => devTokenProvider(server, user), [server, user]);

  return (
    <main>
      <h1>rtm-chat in React</h1>
      <Report user={user} peer={peer} state={state} unread={unread} lastMessage={lastMessage} onPeerChange={setPeer} />
      <rtm-chat
        server={server}
        app-id="demo"
        user-id={user}
        tokenProvider={tokenProvider}
        onrtm-connection-change={(event) => setState(event.detail.state)}
        onrtm-unread-change={(event) => setUnread(event.detail.total)}
        onrtm-message={(event) => setLastMessage(describeMessage(event.detail.message))}
        onrtm-error={(event) => console.warn('rtm-chat:', event.detail.error.code, event.detail.error.message)}
      >
        <rtm-channel peer={peer}></rtm-channel>
      </rtm-chat>
    </main>
  );
}
