// Browser tests (client, store, elements) in Debian's Chromium against a real rtm-chat server
// process started for the run. Tests reach the server through window.RTM_TEST and can restart it
// through the rtm-server-* commands (executeServerCommand from @web/test-runner-commands).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { countingReporter } from './scripts/wtr-counting-reporter.mjs';
import { createServerProcess } from './scripts/server-process.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

// The server as users run it, rate limits included (tests that need many messages spread them
// over several connections).
const server = createServerProcess({ name: 'wtr' });

/** Starts the server with the test runner and offers restart commands to the tests. */
function rtmServerPlugin() {
  return {
    name: 'rtm-server',
    async serverStart() {
      await server.start();
    },
    async serverStop() {
      await server.stop();
    },
    async executeCommand({ command }) {
      switch (command) {
        case 'rtm-server-restart':
          await server.kill();
          await server.start();
          return true;
        case 'rtm-server-stop':
          await server.kill();
          return true;
        case 'rtm-server-start':
          await server.start();
          return true;
        default:
          return undefined;
      }
    },
  };
}

export default {
  files: process.env.WTR_FILES?.split(',') ?? ['test/{client,store,elements}/**/*.test.ts'],
  nodeResolve: true,
  // The tests share one server and some restart it, so files run one at a time.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname, target: 'es2022' }),
    rtmServerPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  testFramework: { config: { timeout: 30_000 } },
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head>
    <script>
      window.process = { env: { NODE_ENV: 'development' } };
      // Tests run Lit's dev build on purpose (its extra checks); its notice about that is noise.
      window.litIssuedWarnings = new Set(['dev-mode']);
      window.RTM_TEST = ${JSON.stringify({ serverUrl: server.url, appId: 'demo' })};
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  reporters: [defaultReporter(), countingReporter('.test-results/browser.json')],
};
