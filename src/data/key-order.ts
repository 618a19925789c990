import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.js';

/*
 * What the admin's keyed resources (products, discounts, shipping rates, tax
 * rates) share: amounts by currency stored as canonical JSON, pages in key
 * order, and for those written whole by id, their store.
 */

/** Amounts by ISO 4217 code as stored: canonical JSON, the codes sorted (null stays null). */
export function amountsJson(amounts: Record<string, number>): string;
export function amountsJson(amounts: Record<string, number> | null): string | null;
export function amountsJson(amounts: Record<string, number> | null) {
  return amounts === null
    ? null
    : JSON.stringify(Object.fromEntries(Object.entries(amounts).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * A page of `table`'s rows in `key` order after the key `after` (and where
 * `where` holds), and whether more follow.
 *
 * @example
 * const page = await keyPage(db, products, products.id, 50, cursor);
 */
export async function keyPage<T extends SQLiteTable>(
  db: Db,
  table: T,
  key: AnySQLiteColumn,
  limit: number,
  after: string | undefined,
  where?: SQL,
) {
  const rows = (await db
    .select()
    .from(table as SQLiteTable)
    .where(and(where, after === undefined ? undefined : gt(key, after)))
    .orderBy(asc(key))
    .limit(limit + 1)) as T['$inferSelect'][];
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** A table written whole by id, with a version and times (shipping rates, tax rates). */
type Keyed = SQLiteTable & { id: AnySQLiteColumn; version: AnySQLiteColumn };

/**
 * The store of an admin resource written whole by id: created or replaced
 * (version + 1 on a replace, `createdAt` kept) and read back in one step,
 * read, listed in id order, deleted.
 *
 * @example
 * const rates = keyedStore(db, taxRates, 'a tax rate');
 */
export function keyedStore<T extends Keyed>(db: Db, table: T, what: string) {
  type Row = T['$inferSelect'];
  const byId = (id: string) => eq(table.id, id);
  return {
    /** Creates or replaces the row `values.id`, and reads it back in the same step. */
    async put(values: T['$inferInsert'] & { id: string }): Promise<{ created: boolean; row: Row }> {
      const { id: _id, createdAt: _createdAt, ...replaced } = values as Record<string, unknown>;
      const [before, , read] = await db.batch([
        db
          .select({ n: sql<number>`count(*)` })
          .from(table as SQLiteTable)
          .where(byId(values.id)),
        db
          .insert(table)
          .values(values)
          .onConflictDoUpdate({
            target: table.id,
            set: { ...replaced, version: sql`${table.version} + 1` } as SQLiteUpdateSetSource<T>,
          }),
        db
          .select()
          .from(table as SQLiteTable)
          .where(byId(values.id)),
      ]);
      const row = read[0] as Row | undefined;
      if (row === undefined) throw new Error(`${what} just written could not be read back`);
      return { created: Number(before[0]?.n) === 0, row };
    },

    get: (id: string): Promise<Row | undefined> =>
      db
        .select()
        .from(table as SQLiteTable)
        .where(byId(id))
        .get() as Promise<Row | undefined>,

    /** A page in id order, after the id `after`. */
    list: (limit: number, after?: string) => keyPage(db, table, table.id, limit, after),

    async remove(id: string): Promise<boolean> {
      const gone = await db.delete(table).where(byId(id)).returning({ id: table.id });
      return gone.length > 0;
    },
  };
}
