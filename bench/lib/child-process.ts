// Runs a bench script (TypeScript, through tsx) as a child process that announces itself with one
// JSON line on stdout. Every target and the load generator run this way, so none of them shares an
// event loop with another.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchRoot = dirname(dirname(fileURLToPath(import.meta.url)));
export const projectRoot = dirname(benchRoot);

export interface JsonLineChild {
  process: ChildProcess;
  /** Resolves with the next JSON line the child prints (rejects if it exits first). */
  nextLine<T>(): Promise<T>;
  /** Writes one JSON line to the child's stdin. */
  send(value: unknown): void;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it is gone. */
  stop(): Promise<void>;
  /** What the child wrote to stderr (for error messages). */
  readonly stderr: string;
}

export function spawnJsonLineChild(script: string, env: Record<string, string> = {}): JsonLineChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(benchRoot, script)], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (process.env.BENCH_CHILD_LOG) process.stderr.write(chunk);
  });
  const lines: string[] = [];
  const waiters: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let exited: Error | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return; // anything else is a log line
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`${script} exited (${code ?? signal}):\n${stderr.slice(-4000)}`);
    for (const waiter of waiters.splice(0)) waiter.reject(exited);
  });
  return {
    process: child,
    nextLine<T>() {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(JSON.parse(line) as T);
      if (exited) return Promise.reject(exited);
      return new Promise<string>((resolve, reject) => waiters.push({ resolve, reject })).then((text) => JSON.parse(text) as T);
    },
    send(value) {
      child.stdin!.write(`${JSON.stringify(value)}\n`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
    get stderr() {
      return stderr;
    },
  };
}
