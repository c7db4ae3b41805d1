import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyLitLiterals } from './scripts/vite-minify-literals.mjs';

/**
 * Three library builds of the widget (the server is compiled by tsc, see tsconfig.server.json):
 * - `vite build` → dist/rtm-chat.iife.js: Lit, nanostores and our code in one file for a
 *   `<script src>` tag; it registers the elements and exposes `window.RtmChat`.
 * - `vite build --mode esm` → dist/rtm-chat.js: ESM for bundlers, dependencies left as imports,
 *   no registration side effects (import `rtm-chat/define` for that).
 * - `vite build --mode virtual` → dist/rtm-chat.virtual.js: the list virtualizer
 *   (@tanstack/virtual-core) as an ES module of its own. An IIFE cannot split chunks, so the
 *   script-tag build imports this file from next to itself, and only for long conversations
 *   (see src/elements/rtm-message-list/load-virtual-core.iife.ts).
 */
export default defineConfig(({ mode }) => {
  const esm = mode === 'esm';
  const virtual = mode === 'virtual';
  return {
    // Library mode does not replace this, and nanostores (and virtual-core) read it to pick their
    // dev checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    // The minified builds also shed the whitespace of Lit's HTML and CSS templates.
    plugins: esm || virtual ? [] : [minifyLitLiterals()],
    resolve: {
      // The script-tag build's loader of the virtualizer: the companion file, not a chunk.
      alias:
        esm || virtual
          ? []
          : [
              {
                find: /^\.\/load-virtual-core\.js$/,
                replacement: fileURLToPath(new URL('./src/elements/rtm-message-list/load-virtual-core.iife.ts', import.meta.url)),
              },
            ],
    },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !esm && !virtual,
      sourcemap: true,
      minify: !esm,
      lib: esm
        ? { entry: { 'rtm-chat': 'src/index.ts', define: 'src/define.ts' }, formats: ['es'] }
        : virtual
          ? { entry: 'src/elements/rtm-message-list/virtual-core.ts', formats: ['es'], fileName: () => 'rtm-chat.virtual.js' }
          : { entry: 'src/iife.ts', name: 'RtmChat', formats: ['iife'], fileName: () => 'rtm-chat.iife.js' },
      rollupOptions: esm ? { external: [/^lit($|\/)/, /^@lit\//, /^nanostores($|\/)/, /^@tanstack\//] } : {},
    },
  };
});
