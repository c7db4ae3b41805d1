import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Builds the framework examples the way a site would build its own pages, against the package's
 * published files (dist/, so `npm run build` first):
 * - `vite build --config examples/vite.config.ts` → build/examples/pages/{react,vue,ssr}/;
 * - `… --ssr` → build/examples/ssr-server/render.js, the SSR page's server half.
 */
export default defineConfig(({ isSsrBuild }) => ({
  root: path('.'),
  base: './',
  // The template compiler must not try to resolve <rtm-chat> and friends as Vue components.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('rtm-') } } })],
  resolve: {
    // What `npm install rtm-chat` would resolve to (the package's exports map).
    alias: [
      { find: /^rtm-chat\/define$/, replacement: path('../dist/define.js') },
      { find: /^rtm-chat$/, replacement: path('../dist/rtm-chat.js') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: isSsrBuild
    ? { outDir: path('../build/examples/ssr-server'), emptyOutDir: true, rollupOptions: { input: path('ssr/render.tsx') } }
    : {
        outDir: path('../build/examples/pages'),
        emptyOutDir: true,
        rollupOptions: { input: { react: path('react/index.html'), vue: path('vue/index.html'), ssr: path('ssr/index.html') } },
      },
}));
