import { MAX_WORKERS } from '../../protocol/index.js';
import { isPostgresUrl } from '../storage/open.js';

/**
 * RTM_WORKERS: how many server processes share the port (node:cluster). 1 (the default) is one
 * process, as without it. More than one needs storage and presence that every process shares:
 * SQLite is one process per data directory, and the in-memory presence router sees only its own
 * process's connections, so both PostgreSQL and Redis are required, or the start is refused.
 */
export function workerCount(env: NodeJS.ProcessEnv): number {
  const value = env.RTM_WORKERS;
  if (value === undefined || value === '') return 1;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_WORKERS) {
    throw new Error(`RTM_WORKERS must be a whole number from 1 to ${MAX_WORKERS}, got "${value}".`);
  }
  if (count === 1) return 1;
  const missing = [
    !isPostgresUrl(env.RTM_DATABASE_URL) && 'RTM_DATABASE_URL=postgres://… (SQLite is one process per data directory)',
    !env.RTM_REDIS_URL && 'RTM_REDIS_URL=redis://… (presence and delivery across the workers)',
  ].filter((reason): reason is string => reason !== false);
  if (missing.length > 0) throw new Error(`RTM_WORKERS=${count} needs ${missing.join(' and ')}.`);
  return count;
}
