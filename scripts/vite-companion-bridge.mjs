import { fileURLToPath } from 'node:url';

/**
 * For the companion build: imports of the modules the script-tag bundle lends its companions
 * (src/companion-bridge/core.ts says which and why) resolve to their bridge files instead of
 * being bundled again. Matched on the resolved file, so every way of importing them is covered.
 */
export function companionBridge() {
  const root = new URL('../', import.meta.url);
  const path = (relative) => fileURLToPath(new URL(relative, root));
  const bridges = new Map([
    [path('src/protocol/errors.ts'), path('src/companion-bridge/protocol-errors.ts')],
    [path('node_modules/lit-html/lit-html.js'), path('src/companion-bridge/lit-html.ts')],
    [path('node_modules/lit-html/development/lit-html.js'), path('src/companion-bridge/lit-html.ts')],
    [path('src/client/media/media-message.ts'), path('src/companion-bridge/media-message.ts')],
    [path('src/elements/internal/context.ts'), path('src/companion-bridge/session-context.ts')],
    [path('node_modules/@lit/localize/lit-localize.js'), path('src/companion-bridge/localize.ts')],
    [path('node_modules/@lit/localize/init/install.js'), path('src/companion-bridge/localize-install.ts')],
    [path('src/elements/internal/locale.ts'), path('src/companion-bridge/locale.ts')],
  ]);
  const bridgeFiles = new Set(bridges.values());
  return {
    name: 'rtm-companion-bridge',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      // The bridges themselves import the real modules for their types only.
      if (importer && bridgeFiles.has(importer)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const bridge = resolved && bridges.get(resolved.id.split('?')[0]);
      return bridge ?? null;
    },
  };
}
