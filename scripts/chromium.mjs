// How the tests start Debian's Chromium on these machines (as root, headless, no network chatter).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // A fake microphone (a tone) granted without a prompt: the composer's voice recorder is tested.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];
