import { createRequire } from 'node:module';

/**
 * The slice of better-sqlite3's API the server uses, typed here because the project has no
 * `@types/better-sqlite3`. Loading through `createRequire` keeps `tsc` happy without an ambient
 * `declare module` that would clash once the real types are installed.
 */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  /** BEGIN IMMEDIATE: takes the write lock up front, so a concurrent writer waits (busy_timeout) instead of failing mid-transaction. */
  immediate(...args: A): R;
}

export interface SqliteDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

type DatabaseConstructor = new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;

const require = createRequire(import.meta.url);

/** Opens (or creates) a SQLite database file with better-sqlite3. */
export function openSqliteFile(filename: string, options?: { readonly?: boolean; fileMustExist?: boolean }): SqliteDatabase {
  const Database = require('better-sqlite3') as DatabaseConstructor;
  return new Database(filename, options);
}
