// 1,000 clients need 1,000 sockets in the generator and as many in the server (each a child that
// inherits this limit). Node cannot read RLIMIT_NOFILE itself, so ask the shell.
import { execFileSync } from 'node:child_process';

/** Headroom for the process's own files, the database, pipes and listening sockets. */
const RESERVED_FDS = 200;

export function openFileLimit(): number {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The most clients this limit allows (even, since clients pair up). */
export function clientsAllowedBy(limit: number): number {
  return Math.max(2, Math.floor((limit - RESERVED_FDS) / 2) * 2);
}
