// The PostgreSQL and Redis the multi-node targets need. RTM_BENCH_DATABASE_URL / RTM_BENCH_REDIS_URL
// when both are set (an existing cluster; nothing is started); otherwise scripts/local-services.sh,
// the same idempotent throwaway services the tests use. Missing binaries are not an error of the
// run: the caller skips the targets that need them and prints the reason.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './child-process.js';

export type Services = { databaseUrl: string; redisUrl: string } | { skip: string };

const run = promisify(execFile);

/** `KEY=value` lines as local-services.sh prints them on stdout. */
function parseLines(stdout: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.+)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

export async function findServices(): Promise<Services> {
  const { RTM_BENCH_DATABASE_URL: databaseUrl, RTM_BENCH_REDIS_URL: redisUrl } = process.env;
  if (databaseUrl && redisUrl) return { databaseUrl, redisUrl };
  if (databaseUrl || redisUrl) return { skip: 'set both RTM_BENCH_DATABASE_URL and RTM_BENCH_REDIS_URL, or neither' };
  try {
    const { stdout } = await run('bash', [join(projectRoot, 'scripts', 'local-services.sh')], { cwd: projectRoot });
    const values = parseLines(stdout);
    const [db, redis] = [values.RTM_TEST_DATABASE_URL, values.RTM_TEST_REDIS_URL];
    if (!db || !redis) return { skip: `scripts/local-services.sh printed no URLs: ${stdout.trim() || '(nothing)'}` };
    return { databaseUrl: db, redisUrl: redis };
  } catch (error) {
    // The script's own last stderr line says what is missing ("no redis-server (apt-get install …)").
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    return { skip: `scripts/local-services.sh failed: ${stderr.split('\n').at(-1) || String(error)}` };
  }
}
