import type { Client, InStatement, InValue, ResultSet, Row } from '@libsql/client';
import Database from 'libsql';

type Statement = Database.Statement;
type RowOf = new (values: unknown[]) => Row;

interface Prepared {
  statement: Statement;
  /** Null for a statement that returns no rows. */
  columns: string[] | null;
  columnTypes: string[];
  Row: RowOf | null;
  /** The statement ends in `limit 1`: at most one row, fetched without libsql's row iterator. */
  single: boolean;
}

/** A statement whose text ends in LIMIT 1 (not inside parentheses) returns at most one row. */
const SINGLE_ROW = /\blimit\s+1\s*;?\s*$/i;

const VALUES = Symbol('values');

/**
 * A row class for one statement's columns, shaped as `@libsql/client` shapes
 * rows: each column name an own enumerable property (the first of duplicate
 * names wins), the values also by index, and a `length`, neither of those
 * enumerable. The named properties are plain assignments of one hidden
 * class, where the library defines every property of every row one by one.
 */
function rowClass(columns: string[]): RowOf {
  const named: Array<[string, number]> = [];
  const seen = new Set<string>();
  columns.forEach((name, index) => {
    if (seen.has(name)) return;
    seen.add(name);
    named.push([name, index]);
  });
  class LocalRow {
    declare [VALUES]: unknown[];
    constructor(values: unknown[]) {
      Object.defineProperty(this, VALUES, { value: values });
      const self = this as unknown as Record<string, unknown>;
      for (const [name, index] of named) self[name] = values[index];
    }
  }
  columns.forEach((_, index) => {
    Object.defineProperty(LocalRow.prototype, index, {
      get(this: LocalRow) {
        return this[VALUES][index];
      },
    });
  });
  Object.defineProperty(LocalRow.prototype, 'length', { value: columns.length });
  return LocalRow as unknown as RowOf;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value as `@libsql/client` (intMode "number") returns it: safe integers as numbers, blobs as ArrayBuffers. */
function fromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    }
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/** An argument as `@libsql/client` binds it: booleans as 0/1, dates as epoch ms. */
function toSql(value: InValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
  }
  return value;
}

/**
 * What drizzle's libSQL driver asks of a client, for a local database file,
 * straight over libSQL's synchronous binding (`libsql`, the engine
 * `@libsql/client` itself wraps for `file:` URLs).
 *
 * Why not `@libsql/client` here: it prepares every statement anew and builds
 * each row with `Object.defineProperty` per column. Profiled under load, that
 * was over half the server's CPU for a cart read; caching prepared statements
 * and building rows from one class per statement cut it to a fraction
 * (README, Performance). Results are those of `@libsql/client`: a contract
 * test (local-client.node.test.ts) runs every query the store makes through
 * both and compares them. Remote `libsql://` and `http(s)://` URLs go through
 * `@libsql/client` itself.
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
      let columns: string[] | null = null;
      let columnTypes: string[] = [];
      try {
        statement.raw(true);
        statement.safeIntegers(true);
        const described = statement.columns();
        columns = described.map((column) => column.name);
        columnTypes = described.map((column) => column.type ?? '');
      } catch {
        // raw() refuses statements that return no rows.
      }
      prepared = {
        statement,
        columns,
        columnTypes,
        Row: columns === null ? null : rowClass(columns),
        single: SINGLE_ROW.test(sql),
      };
      // Queries are built from a fixed set of shapes, so the cache stays small;
      // the bound is a guard against a caller that inlines values into SQL.
      if (this.#statements.size < 1000) this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  #run(input: InStatement): ResultSet {
    const sql = typeof input === 'string' ? input : input.sql;
    const given = typeof input === 'string' ? [] : (input.args ?? []);
    const args = Array.isArray(given)
      ? given.map(toSql)
      : Object.fromEntries(Object.entries(given).map(([name, value]) => [name.replace(/^[:@$]/, ''), toSql(value)]));
    const { statement, columns, columnTypes, Row, single } = this.#prepare(sql);
    if (columns !== null && Row !== null) {
      // get() is a third of all()'s cost for one row: all() builds an iterator and a 100-row buffer.
      const one = single ? (statement.get(args) as unknown[] | undefined) : undefined;
      const raw = single ? (one === undefined ? [] : [one]) : (statement.all(args) as unknown[][]);
      const rows = raw.map((values) => new Row(values.map(fromSql)));
      return result(columns, columnTypes, rows, 0, undefined);
    }
    const info = statement.run(args);
    return result([], [], [], info.changes, BigInt(info.lastInsertRowid));
  }

  #inTransaction<T>(work: () => T): T {
    // IMMEDIATE takes the write lock up front, waiting (busy_timeout) for another
    // process's; a deferred transaction upgrading from a read could instead fail at once.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const value = work();
      this.#db.exec('COMMIT');
      return value;
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

function result(
  columns: string[],
  columnTypes: string[],
  rows: Row[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, rows, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null }),
  };
}
