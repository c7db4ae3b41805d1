// The browser half of the SSR example: registers the elements (only here: the server never
// imports rtm-chat/define), then hydrates the markup render.tsx sent.
import 'rtm-chat/define';
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App } from './App.js';
import { pageOptions } from '../shared/page-options.js';

hydrateRoot(
  document.getElementById('root')!,
  <StrictMode>
    <App {...pageOptions(location.search)} />
  </StrictMode>,
);
