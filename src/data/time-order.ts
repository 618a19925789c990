import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * Where a time-ordered listing (carts oldest first; orders and events newest
 * first) stands: a row's `created_at` and its rowid. SQLite gives a new row a
 * rowid above every row's there is, so the rowid breaks ties of one
 * millisecond in the order the rows were written, and a row written while a
 * listing is walked never lands behind its cursor. An index on `created_at`
 * alone holds the rowid as its last column, so the order is the index's.
 */
export type TimePosition = { createdAt: number; seq: number };

/** The rowid of `table`'s row, as a column of a select. */
export const seqOf = (table: SQLiteTable) => sql<number>`${table}.rowid`;

/** The rows after `at` in `direction`: `asc` for oldest first, `desc` for newest first. */
export const beyond = (table: SQLiteTable, createdAt: AnySQLiteColumn, at: TimePosition, direction: 'asc' | 'desc') =>
  sql`(${createdAt}, ${table}.rowid) ${sql.raw(direction === 'asc' ? '>' : '<')} (${at.createdAt}, ${at.seq})`;

/** The order by (created_at, rowid) in `direction`. */
export const timeOrder = (table: SQLiteTable, createdAt: AnySQLiteColumn, direction: 'asc' | 'desc'): SQL[] => {
  const d = sql.raw(direction);
  return [sql`${createdAt} ${d}`, sql`${table}.rowid ${d}`];
};

/** The first `limit` of `rows` (fetched with `limit + 1`), and where the next page starts, if there is one. */
export function timePage<T>(rows: T[], limit: number, position: (row: T) => TimePosition) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last !== undefined ? position(last) : undefined };
}
