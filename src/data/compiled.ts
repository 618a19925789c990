import { Param, Placeholder, type Query, type SQL, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.js';

// Both drivers (D1 and libSQL) render SQL with the same SQLite dialect.
const dialect = new SQLiteAsyncDialect();

/** A query drizzle can render: a `sql` template or a query builder. */
type Renderable = SQL | { toSQL(): { sql: string; params: unknown[] } };

/** A row by position: D1 gives arrays, libSQL rows indexable by position. */
export type Row = ArrayLike<unknown>;

/** The named value of a placeholder, typed as what it stands for (drizzle takes it wherever a value goes). */
export const slot = <T = number>(name: string): T => sql.placeholder(name) as unknown as T;

/** What a session of either driver offers for a query drizzle has already rendered. */
interface PreparingSession {
  prepareQuery(
    query: Query,
    fields: undefined,
    method: 'all',
    isResponseInArrayMode: boolean,
    customResultMapper: (rows: Row[]) => Row[],
  ): { values(): Promise<Row[]> };
}

/**
 * A statement drizzle renders once, with `sql.placeholder`s (see `slot`)
 * where each request's values go. drizzle's own prepared queries do this for
 * one query but cannot join a batch, and rendering the guarded change
 * statements anew was about a sixth of a write's CPU (README, Performance).
 *
 * Each call hands the rendered text and this request's values to the
 * session's prepareQuery, the step every drizzle query ends in: a raw
 * `db.all(sql)` would be simpler, but drizzle's D1 batch cannot take a raw
 * query with parameters (it reads a prepared statement the raw query lacks).
 * Rows come back by position on both drivers.
 *
 * The rendered text belongs to no database: one compiled statement serves
 * every store, a D1 session per request included.
 *
 * @example
 * const byId = compile(sql`select version from carts where id = ${slot('id')}`);
 * const rows = await byId.all(db, { id: 'crt_…' });
 * await runBatch(db, [byId.inBatch(db, { id: 'crt_…' }), …]);
 */
export function compile(query: Renderable) {
  const { sql: text, params } = 'toSQL' in query ? query.toSQL() : dialect.sqlToQuery(query);
  // A placeholder comes out bare, or wrapped in the Param of a column it is set to.
  const names = params.map((param) => {
    const inner = param instanceof Param ? param.value : param;
    return inner instanceof Placeholder ? inner.name : undefined;
  });
  const prepare = (db: Db, values: Record<string, unknown>) => {
    const session = (db as unknown as { session: PreparingSession }).session;
    const filled = params.map((param, index) => {
      const name = names[index];
      if (name === undefined) return param;
      if (!(name in values)) throw new Error(`no value for the placeholder ${name}`);
      return values[name];
    });
    return session.prepareQuery({ sql: text, params: filled }, undefined, 'all', true, (rows) => rows);
  };
  return {
    /** The rows, by position. */
    all: (db: Db, values: Record<string, unknown>) => prepare(db, values).values(),
    /** The statement as an item of a batch (see runBatch), whose result is its rows by position. */
    inBatch: (db: Db, values: Record<string, unknown>) => asBatchItem({ _prepare: () => prepare(db, values) }),
  };
}

/** An item of drizzle's `db.batch`: a query builder, or a compiled statement with its values. */
export type BatchItem = Parameters<Db['batch']>[0][number];

/**
 * drizzle types a batch by its query builders; a compiled statement is one
 * at run time (it has the `_prepare` drizzle's batch calls). The one cast.
 */
const asBatchItem = (item: { _prepare: () => unknown }) => item as unknown as BatchItem;

/**
 * Runs `items` as one batch: one round trip, all or nothing (D1's batch, a
 * libSQL transaction). Each result is a compiled statement's rows by
 * position (or a query builder's result).
 *
 * @example
 * const [rows] = await runBatch(db, [byId.inBatch(db, { id: 'crt_…' })]);
 */
export async function runBatch(db: Db, items: BatchItem[]): Promise<Row[][]> {
  return (await db.batch(items as [BatchItem, ...BatchItem[]])) as unknown as Row[][];
}

export type Compiled = ReturnType<typeof compile>;
