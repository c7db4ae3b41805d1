import Database from 'better-sqlite3';

/** An open better-sqlite3 database (synchronous API; one writer at a time). */
export type SqliteDatabase = Database.Database;
export type Statement = Database.Statement;
export type RunResult = Database.RunResult;

/** Opens (or creates) a SQLite database file with better-sqlite3. */
export function openSqliteFile(filename: string, options?: Database.Options): SqliteDatabase {
  return new Database(filename, options);
}
