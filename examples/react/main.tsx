// Registers the elements before React renders them, so React 19 sees their properties
// (tokenProvider) and sets them as properties rather than as attributes.
import 'rtm-chat/define';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pageOptions } from '../shared/page-options.js';
import { App } from './App.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App {...pageOptions(location.search)} />
  </StrictMode>,
);
