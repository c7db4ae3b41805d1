// custom-elements.json from the elements' JSDoc (@fires, @csspart, @cssprop, @slot, @tagname).
// The analyzer also guesses events from `dispatchEvent(new SomeEvent(...))` calls, which yields
// nameless entries (and constructor parameters mistaken for names); only our documented `rtm-*`
// events are kept.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'rtm-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules ?? []) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events) {
              declaration.events = declaration.events.filter((event) => event.name?.startsWith('rtm-'));
            }
          }
        }
      },
    },
  ],
};
