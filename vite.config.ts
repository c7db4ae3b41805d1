import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyLitLiterals } from './scripts/vite-minify-literals.mjs';

/**
 * Three library builds of the widget (the server is compiled by tsc, see tsconfig.server.json):
 * - `vite build` → dist/rtm-chat.iife.js: Lit, nanostores and our code in one file for a
 *   `<script src>` tag; it registers the elements and exposes `window.RtmChat`.
 * - `vite build --mode esm` → dist/rtm-chat.js: ESM for bundlers, dependencies left as imports,
 *   no registration side effects (import `rtm-chat/define` for that).
 * - `vite build --mode companions` → the script-tag build's companion files, ES modules of their
 *   own that it imports from next to itself when a page first needs them (an IIFE cannot split
 *   chunks; see src/client/companion.iife.ts):
 *   - dist/rtm-chat.virtual.js: the list virtualizer (@tanstack/virtual-core), for long conversations;
 *   - dist/rtm-chat.images.js: the image header parser and thumbnail maker, for sending an image.
 */

/** The script-tag build's loaders: each swaps a dynamic import for its companion file. */
const companionLoaders = ['src/elements/rtm-message-list/load-virtual-core', 'src/client/media/load-image-work'].map((path) => ({
  find: new RegExp(`^\\./${path.slice(path.lastIndexOf('/') + 1)}\\.js$`),
  replacement: fileURLToPath(new URL(`./${path}.iife.ts`, import.meta.url)),
}));

export default defineConfig(({ mode }) => {
  const esm = mode === 'esm';
  const companions = mode === 'companions';
  return {
    // Library mode does not replace this, and nanostores (and virtual-core) read it to pick their
    // dev checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    // The minified builds also shed the whitespace of Lit's HTML and CSS templates.
    plugins: esm || companions ? [] : [minifyLitLiterals()],
    resolve: { alias: esm || companions ? [] : companionLoaders },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !esm && !companions,
      sourcemap: true,
      minify: !esm,
      lib: esm
        ? { entry: { 'rtm-chat': 'src/index.ts', define: 'src/define.ts' }, formats: ['es'] }
        : companions
          ? {
              entry: {
                'rtm-chat.virtual': 'src/elements/rtm-message-list/virtual-core.ts',
                'rtm-chat.images': 'src/client/media/image-work.ts',
              },
              formats: ['es'],
              fileName: (_format, name) => `${name}.js`,
            }
          : { entry: 'src/iife.ts', name: 'RtmChat', formats: ['iife'], fileName: () => 'rtm-chat.iife.js' },
      rollupOptions: esm ? { external: [/^lit($|\/)/, /^@lit\//, /^nanostores($|\/)/, /^@tanstack\//] } : {},
    },
  };
});
