import { and, asc, gt, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.js';

/*
 * What the admin's keyed resources (products, discounts, shipping rates)
 * share: amounts by currency stored as canonical JSON, and pages in key order.
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
