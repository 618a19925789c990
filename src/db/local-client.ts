import type { Client, InStatement, ResultSet } from '@libsql/client';
import Database from 'libsql';

type Statement = Database.Statement;

interface Prepared {
  statement: Statement;
  returnsRows: boolean;
}

/**
 * What drizzle's libSQL driver asks of a client, for a local database file,
 * straight over libSQL's synchronous binding (`libsql`, the engine
 * `@libsql/client` itself wraps for `file:` URLs).
 *
 * Why not `@libsql/client` here: it prepares every statement anew and builds
 * each row with `Object.defineProperty` per column. Profiled under load, that
 * was over half the server's CPU for a cart read; caching prepared statements
 * and returning plain row arrays (which drizzle maps by index) cut it to a
 * fraction (README, Performance). Remote `libsql://` and `http(s)://` URLs
 * still go through `@libsql/client`.
 *
 * A batch runs inside one transaction, synchronously, so nothing else in this
 * process interleaves with it; other processes wait on SQLite's lock (busy_timeout).
 * Every batch writes (reads are single statements), so each takes the write lock first.
 */
export class LocalClient {
  readonly protocol = 'file';
  closed = false;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Prepared>();

  constructor(path: string) {
    this.#db = new Database(path);
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      const statement = this.#db.prepare(sql);
      let returnsRows = true;
      try {
        statement.raw(true);
      } catch {
        // raw() refuses statements that return no rows.
        returnsRows = false;
      }
      prepared = { statement, returnsRows };
      // Queries are built from a fixed set of shapes, so the cache stays small;
      // the bound is a guard against a caller that inlines values into SQL.
      if (this.#statements.size < 1000) this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  #run(input: InStatement): ResultSet {
    const sql = typeof input === 'string' ? input : input.sql;
    const args = typeof input === 'string' ? [] : (input.args ?? []);
    const { statement, returnsRows } = this.#prepare(sql);
    if (returnsRows) {
      const rows = statement.all(args) as unknown[][];
      return {
        columns: [],
        columnTypes: [],
        rows,
        rowsAffected: 0,
        lastInsertRowid: undefined,
      } as unknown as ResultSet;
    }
    const info = statement.run(args);
    return {
      columns: [],
      columnTypes: [],
      rows: [],
      rowsAffected: info.changes,
      lastInsertRowid: BigInt(info.lastInsertRowid),
    } as unknown as ResultSet;
  }

  #inTransaction<T>(work: () => T): T {
    // IMMEDIATE takes the write lock up front, waiting (busy_timeout) for another
    // process's; a deferred transaction upgrading from a read could instead fail at once.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async execute(input: InStatement): Promise<ResultSet> {
    return this.#run(input);
  }

  async batch(statements: InStatement[]): Promise<ResultSet[]> {
    return this.#inTransaction(() => statements.map((statement) => this.#run(statement)));
  }

  async migrate(statements: InStatement[]): Promise<ResultSet[]> {
    this.#db.exec('PRAGMA foreign_keys = OFF');
    try {
      return this.#inTransaction(() => statements.map((statement) => this.#run(statement)));
    } finally {
      this.#db.exec('PRAGMA foreign_keys = ON');
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#db.exec(sql);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  /** Typed as the client drizzle's libSQL driver takes; it calls only the methods above. */
  asClient(): Client {
    return this as unknown as Client;
  }
}
