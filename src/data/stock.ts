import { and, asc, eq, getTableName, gt, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { LIMITS } from '../cart/limits.js';
import { compile, type Row, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { orders, stock } from './schema.js';
import { qualified, reservedOf } from './sql-rules.js';

/*
 * Stock (README, Stock), the admin's side: a count set (`put`, honouring
 * If-Match) or moved relative to what it is (`adjust`), each in one
 * statement that guards `on_hand` between 0 and LIMITS.onHandMax, so two
 * adjustments racing never take a count below 0 or lose one another.
 */

/** A stock record, with what carts hold of it in live reservations (INVENTORY=reserve) at the time it was read. */
export type StockRow = typeof stock.$inferSelect & { reserved: number };

/** A stock record's columns, with `reserved` at `now`. */
const withReserved = (now: SQLWrapper) => ({
  productId: stock.productId,
  onHand: stock.onHand,
  version: stock.version,
  createdAt: stock.createdAt,
  updatedAt: stock.updatedAt,
  reserved: sql<number>`${reservedOf(qualified(getTableName(stock), stock.productId), now)}`.mapWith(Number),
});

/**
 * The statement moving each stock row by the units the order in the slot
 * `orderId` (aliased `t`, narrowed further by `also`) recorded taking of
 * it (its stock_taken): checkout takes them, a cancellation gives them back.
 */
export function stockByOrder(direction: 'take' | 'give back', also: SQL = sql`1`) {
  const taken = sql`${orders} as ${sql.identifier('t')}, json_each(${qualified('t', orders.stockTaken)})
    where ${qualified('t', orders.id)} = ${slot('orderId')} and ${also} and ${sql.identifier('key')} = ${stock.productId}`;
  const sign = direction === 'take' ? sql`-` : sql`+`;
  return sql`update ${stock} set on_hand = ${stock.onHand} ${sign} (select ${sql.identifier('value')} from ${taken}),
    version = ${stock.version} + 1, updated_at = ${slot('now')}
    where exists (select 1 from ${taken})`;
}

/** What a stock write says when it was not made. */
export type StockRefusal = 'not-found' | 'precondition-failed' | 'insufficient-stock' | 'over-limit';

const byId = (productId: string) => eq(stock.productId, productId);
const bySlot = sql`${stock.productId} = ${slot<string>('productId')}`;

const versionOf = compile(sql`select ${stock.version} from ${stock} where ${bySlot}`);
/**
 * A count set: created where there is none (and no If-Match: a record that
 * does not exist matches none), replaced where If-Match holds (`*`, or one
 * of the versions named).
 */
const upsert = compile(
  sql`insert into ${stock} (product_id, on_hand, version, created_at, updated_at)
    select ${slot('productId')}, ${slot('onHand')}, 1, ${slot('now')}, ${slot('now')}
      where ${slot('conditional')} = 0 or exists (select 1 from ${stock} where ${bySlot})
    on conflict (product_id) do update set on_hand = excluded.on_hand, version = ${stock.version} + 1,
      updated_at = excluded.updated_at
      where ${slot('versions')} is null or ${stock.version} in (select value from json_each(${slot('versions')}))`,
);
const readRow = compile(
  sql`select ${stock.productId}, ${stock.onHand}, ${stock.version}, ${stock.createdAt}, ${stock.updatedAt},
      ${reservedOf(qualified(getTableName(stock), stock.productId), slot('now'))}
    from ${stock} where ${bySlot}`,
);
const rowOf = (row: Row): StockRow => ({
  productId: row[0] as string,
  onHand: Number(row[1]),
  version: Number(row[2]),
  createdAt: Number(row[3]),
  updatedAt: Number(row[4]),
  reserved: Number(row[5]),
});

/**
 * The store of stock records.
 *
 * @example
 * await stockStore(db).adjust('sku-mug-blue', -1, Date.now());
 */
export function stockStore(db: Db) {
  const read = (productId: string, now: number): Promise<StockRow | undefined> =>
    db
      .select(withReserved(sql`${now}`))
      .from(stock)
      .where(byId(productId))
      .get();
  return {
    /** A stock record as it is at `now`. */
    get: read,

    /** A page in product id order, after the id `after`, as it is at `now`. */
    async list(limit: number, now: number, after?: string) {
      const rows: StockRow[] = await db
        .select(withReserved(sql`${now}`))
        .from(stock)
        .where(after === undefined ? undefined : gt(stock.productId, after))
        .orderBy(asc(stock.productId))
        .limit(limit + 1);
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },

    /**
     * Sets the count of `productId` (created at version 1, or replaced with
     * its version + 1) while If-Match holds (`ifMatch`: the versions it
     * names, 'any' for `*`; a record that does not exist matches neither),
     * and reads it back, in one step.
     */
    async put(
      productId: string,
      onHand: number,
      ifMatch: readonly number[] | 'any' | undefined,
      now: number,
    ): Promise<{ created: boolean; row: StockRow } | { refusal: 'precondition-failed'; row: StockRow | undefined }> {
      const values = {
        productId,
        onHand,
        now,
        conditional: ifMatch === undefined ? 0 : 1,
        versions: ifMatch === undefined || ifMatch === 'any' ? null : JSON.stringify(ifMatch),
      };
      const [before, , after] = await runBatch(db, [
        versionOf.inBatch(db, values),
        upsert.inBatch(db, values),
        readRow.inBatch(db, values),
      ]);
      const was = before?.[0]?.[0] as number | undefined;
      const row = after?.[0] === undefined ? undefined : rowOf(after[0]);
      if (row === undefined || row.version === was) return { refusal: 'precondition-failed', row };
      return { created: was === undefined, row };
    },

    /**
     * Moves the count of `productId` by `delta` where it stays between 0 and
     * LIMITS.onHandMax, in one statement; else says why not, nothing changed.
     */
    async adjust(
      productId: string,
      delta: number,
      now: number,
    ): Promise<{ row: StockRow } | { refusal: 'not-found' | 'insufficient-stock' | 'over-limit'; row?: StockRow }> {
      const next = sql`${stock.onHand} + ${delta}`;
      const [moved] = await db
        .update(stock)
        .set({ onHand: sql`${next}`, version: sql`${stock.version} + 1`, updatedAt: now })
        // A count above the limit (stock a cancellation gave back) may still come down.
        .where(and(byId(productId), sql`${next} >= 0`, sql`(${next} <= ${LIMITS.onHandMax} or ${delta} <= 0)`))
        .returning(withReserved(sql`${now}`));
      if (moved !== undefined) return { row: moved };
      const row = await read(productId, now);
      if (row === undefined) return { refusal: 'not-found' };
      return { refusal: row.onHand + delta < 0 ? 'insufficient-stock' : 'over-limit', row };
    },
  };
}

export type StockStore = ReturnType<typeof stockStore>;
