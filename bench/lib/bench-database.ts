// A fresh, empty PostgreSQL database per target run (CREATE DATABASE bench_<runid>), so figures
// never depend on what an earlier run left, and it is dropped afterwards. The server migrates it
// on start.
import pg from 'pg';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** `url` with another database name. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(adminUrl: string, runId: string): Promise<BenchDatabase> {
  // Lower case and [a-z0-9_] only: the name goes into SQL unquoted.
  const name = `bench_${runId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  await onAdmin(adminUrl, `CREATE DATABASE ${name}`);
  return { url: withDatabase(adminUrl, name), drop: () => onAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
