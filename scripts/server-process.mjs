// Runs the real rtm-chat server (src/server/cli.ts through tsx) as a child process for tests and
// benchmarks: a free port picked once and kept across restarts, a throwaway data dir, and
// start/kill/stop that resolve only when the process is listening or gone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const READY = /rtm-chat server listening on /;

/** Asks the OS for a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ name?: string, env?: Record<string, string>, host?: string }} [options]
 */
export function createServerProcess(options = {}) {
  const host = options.host ?? '127.0.0.1';
  let port;
  let dataDir;
  let child;
  let output = '';

  async function start() {
    if (child) return;
    port ??= Number(process.env.RTM_TEST_PORT) || (await freePort());
    dataDir ??= mkdtempSync(join(tmpdir(), `rtm-${options.name ?? 'test'}-`));
    output = '';
    // RTM_SERVER_CPU_PROFILE_DIR: each server started here writes a V8 CPU profile there when it
    // exits (Node refuses --cpu-prof in NODE_OPTIONS, so it has to be passed here).
    const profileDir = process.env.RTM_SERVER_CPU_PROFILE_DIR;
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/server/cli.ts', 'start'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: host,
        RTM_DATA_DIR: dataDir,
        RTM_DEV_TOKENS: '1',
        NODE_ENV: 'test',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
      function fail(error) {
        clearTimeout(timer);
        reject(error);
      }
      const onData = (chunk) => {
        output += chunk;
        if (READY.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout.setEncoding('utf8').on('data', onData);
      proc.stderr.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
        if (process.env.RTM_TEST_SERVER_LOG) process.stderr.write(chunk);
      });
      proc.once('exit', (code, signal) => {
        if (child === proc) child = undefined;
        fail(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
  }

  function waitForExit(proc) {
    return new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
  }

  /** SIGKILL: the server gets no chance to flush or say goodbye, like a crash. */
  async function kill() {
    const proc = child;
    if (!proc) return;
    child = undefined;
    proc.kill('SIGKILL');
    await waitForExit(proc);
  }

  /** Graceful stop, then the data dir is removed. */
  async function stop() {
    const proc = child;
    child = undefined;
    if (proc) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await waitForExit(proc);
      clearTimeout(timer);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  }

  return {
    start,
    kill,
    stop,
    get url() {
      return `http://${host}:${port}`;
    },
    get port() {
      return port;
    },
    get output() {
      return output;
    },
  };
}
