/**
 * The server half of the SSR example: renders the React page to HTML in Node. The widget's tags
 * come out as plain markup with their attributes; functions and event props are left for the
 * browser, where client.tsx registers the elements and hydrates the same tree.
 */
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { App } from './App.js';
import { pageOptions } from '../shared/page-options.js';

export function render(search: string): string {
  return renderToString(
    <StrictMode>
      <App {...pageOptions(search)} />
    </StrictMode>,
  );
}
