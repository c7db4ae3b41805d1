import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { companionBridge } from './scripts/vite-companion-bridge.mjs';
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
 *   - dist/rtm-chat.images.js: the image header parser and thumbnail maker, for sending an image;
 *   - dist/rtm-chat.attachment.js: the attachment view (upload card, downloads, lightbox), for
 *     conversations that show an image or a file;
 *   - dist/rtm-chat.media.js: uploads, downloads and the media requests, for a page's first media call;
 *   - dist/rtm-chat.actions.js: a message's actions menu, reaction picker and edit dialog;
 *   - dist/rtm-chat.popup.js: the launcher and panel of `<rtm-chat mode="popup">`;
 *   - dist/rtm-chat.call-prompt.js: the prompt for an incoming call invitation;
 *   - dist/rtm-chat.inbox.js: the conversation list of the inbox (pages showing one conversation skip it);
 *   - dist/rtm-chat.new-conversation.js: the inbox's New conversation form, imported by rtm-chat.inbox.js
 *     itself (not through a loader of the bundle) once its button is pointed at, focused or pressed;
 *   - dist/rtm-chat.check.js: the full check of a message with a reply, mentions, extras, a location
 *     or a custom type (text, files and media are checked by the bundle itself);
 *   - dist/rtm-chat.upload.js: a session's upload of file messages (progress, preview, send);
 *   - dist/rtm-chat.changes.js: the requests that retract, edit, react to and delete messages;
 *   - dist/rtm-chat.attributes.js: the user and channel attribute requests (Agora's setLocalUserAttributes…);
 *   - dist/rtm-chat.invitations.js: call invitations (Agora's LocalInvitation behind the bundle's shell, RemoteInvitation);
 *   - dist/rtm-chat.session-actions.js: the session's side of them (showing the result at once);
 *   - dist/rtm-chat.search.js: the search dialog;
 *   - dist/rtm-chat.rich.js: a message's quote and reactions, and the types beyond text and media;
 *   - dist/rtm-chat.recorder.js: the composer's voice recorder;
 *   - dist/rtm-chat.mentions.js: the composer's mention picker;
 *   - dist/rtm-chat.files.js: files dragged into a conversation or picked (drop target, checks);
 *   - dist/rtm-chat.attention.js: the unread count in the title and desktop notifications (opt-ins);
 *   - dist/rtm-chat.locale-<code>.js: a built-in locale's catalog (src/locales/), for a page in that language;
 *   - dist/rtm-chat.error-texts.js: the error texts of every language but English, with the first catalog;
 *   - dist/rtm-chat.localize.js: @lit/localize's runtime (switching and looking up), for the same.
 *   Companion files use the bundle's own lit-html, RtmError and media-message module rather than
 *   copies (src/companion-bridge/).
 */

/** The script-tag build's loaders: each swaps a dynamic import for its companion file. */
const companionLoaders = [
  'src/elements/rtm-message-list/load-virtual-core',
  'src/client/media/load-image-work',
  'src/elements/rtm-attachment/load-attachment-view',
  'src/client/media/load-media-transfers',
  'src/elements/rtm-message-list/load-message-actions',
  'src/elements/rtm-chat/load-popup-view',
  'src/elements/rtm-chat/load-invitation-prompt',
  'src/elements/rtm-conversation-list/load-conversation-list-view',
  'src/client/load-wire-check',
  'src/store/session/load-media-upload',
  'src/client/load-change-requests',
  'src/client/load-attributes',
  'src/client/load-invitations',
  'src/store/session/load-change-actions',
  'src/elements/rtm-channel/load-search-view',
  'src/elements/rtm-message-list/load-rich-parts',
  'src/elements/rtm-composer/load-voice-recorder',
  'src/elements/rtm-composer/load-mention-picker',
  'src/elements/rtm-channel/load-file-drop',
  'src/elements/rtm-chat/load-page-attention',
  'src/elements/internal/load-locale',
  'src/elements/internal/load-error-texts',
  'src/elements/internal/load-localize-runtime',
  // Not a loader: where the script came from is the default server of createInstance.
  'src/client/default-server',
].map((path) => ({
  // Any relative import of the loader (`./load-x.js`, `../dir/load-x.js`): the names are unique.
  find: new RegExp(`^\\.\\.?/(?:.*/)?${path.slice(path.lastIndexOf('/') + 1)}\\.js$`),
  replacement: fileURLToPath(new URL(`./${path}.iife.ts`, import.meta.url)),
}));

/**
 * @lit/localize's runtime module sets up its loading state when it is evaluated, which keeps it in
 * the script-tag bundle although only its companion (rtm-chat.localize.js) uses it; none of the
 * package's modules has an effect a page relies on, so unused ones may go.
 */
const localizeHasNoSideEffects = (id: string) => !/[\\/]@lit[\\/]localize[\\/]/.test(id);

export default defineConfig(({ mode }) => {
  const esm = mode === 'esm';
  const companions = mode === 'companions';
  return {
    // Library mode does not replace this, and nanostores (and virtual-core) read it to pick their
    // dev checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    // The minified builds (the companion files too) also shed the whitespace of Lit's HTML and CSS templates.
    plugins: esm ? [] : companions ? [companionBridge(), minifyLitLiterals()] : [minifyLitLiterals()],
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
                'rtm-chat.attachment': 'src/elements/rtm-attachment/attachment-view.ts',
                'rtm-chat.media': 'src/client/media/media-transfers.ts',
                'rtm-chat.actions': 'src/elements/rtm-message-list/message-actions.ts',
                'rtm-chat.popup': 'src/elements/rtm-chat/popup-view.ts',
                'rtm-chat.call-prompt': 'src/elements/rtm-chat/invitation-prompt.ts',
                'rtm-chat.inbox': 'src/elements/rtm-conversation-list/conversation-list-view.ts',
                'rtm-chat.new-conversation': 'src/elements/rtm-conversation-list/new-conversation.ts',
                'rtm-chat.check': 'src/protocol/wire-message.ts',
                'rtm-chat.upload': 'src/store/session/media-upload.ts',
                'rtm-chat.changes': 'src/client/change-requests.ts',
                'rtm-chat.attributes': 'src/client/attributes.ts',
                'rtm-chat.invitations': 'src/client/invitations.ts',
                'rtm-chat.session-actions': 'src/store/session/change-actions.ts',
                'rtm-chat.search': 'src/elements/rtm-channel/search-view.ts',
                'rtm-chat.rich': 'src/elements/rtm-message-list/rich-parts.ts',
                'rtm-chat.recorder': 'src/elements/rtm-composer/voice-recorder.ts',
                'rtm-chat.mentions': 'src/elements/rtm-composer/mention-picker.ts',
                'rtm-chat.files': 'src/elements/rtm-channel/file-drop.ts',
                'rtm-chat.attention': 'src/elements/rtm-chat/page-attention.ts',
                'rtm-chat.locale-zh-CN': 'src/locales/zh-CN.ts',
                'rtm-chat.locale-ar': 'src/locales/ar.ts',
                'rtm-chat.error-texts': 'src/elements/internal/error-texts.ts',
                'rtm-chat.localize': 'src/elements/internal/localize-runtime.ts',
              },
              formats: ['es'],
              fileName: (_format, name) => `${name}.js`,
              // Code two companion files share goes in a chunk of its own, named after its module.
            }
          : { entry: 'src/iife.ts', name: 'RtmChat', formats: ['iife'], fileName: () => 'rtm-chat.iife.js' },
      rollupOptions: esm
        ? {
            // @lit/localize is bundled, not shared: a page that uses it for its own elements
            // configures its own copy, and one copy can be configured only once.
            external: [/^lit($|\/)/, /^@lit\/(?!localize)/, /^nanostores($|\/)/, /^@tanstack\//],
          }
        : companions
          ? { output: { chunkFileNames: 'rtm-chat.shared-[name].js' } }
          : { treeshake: { moduleSideEffects: localizeHasNoSideEffects } },
    },
  };
});
