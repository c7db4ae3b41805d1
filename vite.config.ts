import { defineConfig } from 'vite';

/**
 * Two library builds of the widget (the server is compiled by tsc, see tsconfig.server.json):
 * - `vite build` → dist/rtm-chat.iife.js: Lit, nanostores and our code in one file for a
 *   `<script src>` tag; it registers the elements and exposes `window.RtmChat`.
 * - `vite build --mode esm` → dist/rtm-chat.js: ESM for bundlers, dependencies left as imports,
 *   no registration side effects (import `rtm-chat/define` for that).
 */
export default defineConfig(({ mode }) => {
  const esm = mode === 'esm';
  return {
    // Library mode does not replace this, and nanostores reads it to pick its dev checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !esm,
      sourcemap: true,
      minify: !esm,
      lib: esm
        ? { entry: { 'rtm-chat': 'src/index.ts', define: 'src/define.ts' }, formats: ['es'] }
        : { entry: 'src/iife.ts', name: 'RtmChat', formats: ['iife'], fileName: () => 'rtm-chat.iife.js' },
      rollupOptions: esm ? { external: [/^lit($|\/)/, /^@lit\//, /^nanostores($|\/)/] } : {},
    },
  };
});
