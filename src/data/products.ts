import { eq, sql } from 'drizzle-orm';
import { compile, slot } from './compiled.js';
import type { Db } from './db.js';
import { amountsJson, keyPage } from './key-order.js';
import { products, stock } from './schema.js';

/** A product as it is written (API.md §4): prices in minor units by ISO 4217 code. */
export interface ProductInput {
  id: string;
  name: string;
  prices: Record<string, number>;
  active: boolean;
  metadata: string;
  /** Whether its lines are shipped (API.md §10). */
  shippable: boolean;
  /** The tax category of its lines (API.md §11). */
  taxCategory: string;
}

export type ProductRow = typeof products.$inferSelect;

/**
 * D1 binds at most 100 parameters a statement and a statement's text stays
 * small: products go in as one JSON parameter a chunk, read by json_each.
 */
const CHUNK_BYTES = 256 * 1024;

function chunks(rows: ProductInput[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = JSON.stringify([
      row.id,
      row.name,
      amountsJson(row.prices),
      row.active ? 1 : 0,
      row.metadata,
      row.shippable ? 1 : 0,
      row.taxCategory,
    ]);
    if (size + text.length > CHUNK_BYTES && current.length > 0) {
      out.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
    current.push(text);
    size += text.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(',')}]`);
  return out;
}

/** Upserts the products of a chunk: a JSON array of [id, name, prices, active, metadata, shippable, tax category]. */
const upsertChunk = compile(
  sql`insert into ${products} (id, name, prices, active, metadata, shippable, tax_category, version, created_at, updated_at)
    select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, 1, ${slot('now')}, ${slot('now')}
    from json_each(${slot('chunk')}) where true
    on conflict (id) do update set name = excluded.name, prices = excluded.prices,
      active = excluded.active, metadata = excluded.metadata, shippable = excluded.shippable,
      tax_category = excluded.tax_category,
      version = ${products.version} + 1, updated_at = excluded.updated_at`,
);

/**
 * Sets the stock counts of an import (README, Stock): a JSON array of [product id, on hand], each created at
 * version 1 or replaced with its version + 1. At most IMPORT_MAX products: one parameter holds them.
 */
const stockCounts = compile(
  sql`insert into ${stock} (product_id, on_hand, version, created_at, updated_at)
    select value ->> 0, value ->> 1, 1, ${slot('now')}, ${slot('now')} from json_each(${slot('counts')}) where true
    on conflict (product_id) do update set on_hand = excluded.on_hand, version = ${stock.version} + 1,
      updated_at = excluded.updated_at`,
);

/**
 * The catalog's store. Every write is one batch: the products that already
 * exist are counted and every product upserted in the same step, so an
 * import is all or nothing and its counts are exact.
 *
 * @example
 * const catalog = productStore(db);
 * await catalog.upsert([{ id: 'sku-mug', name: 'Mug', prices: { EUR: 1299 }, active: true, metadata: '{}', shippable: true, taxCategory: 'standard' }], Date.now());
 */
export function productStore(db: Db) {
  /** Counts the products that exist, then upserts them all (one statement a chunk). */
  const upserting = (rows: ProductInput[], now: number) => {
    const ids = JSON.stringify(rows.map((row) => row.id));
    const existing = db
      .select({ n: sql<number>`count(*)` })
      .from(products)
      .where(sql`${products.id} in (select value from json_each(${ids}))`);
    const writes = chunks(rows).map((chunk) => upsertChunk.inBatch(db, { chunk, now }));
    return [existing, ...writes] as const;
  };

  return {
    /**
     * Creates or replaces products, all or nothing, and sets the stock
     * counts given with them (`onHand`, by product id) in the same step; how
     * many products were new and how many replaced.
     */
    async upsert(
      rows: ProductInput[],
      now: number,
      onHand: ReadonlyArray<[id: string, count: number]> = [],
    ): Promise<{ created: number; updated: number }> {
      if (rows.length === 0) return { created: 0, updated: 0 };
      const counts = onHand.length === 0 ? [] : [stockCounts.inBatch(db, { counts: JSON.stringify(onHand), now })];
      const [counted] = await db.batch([...upserting(rows, now), ...counts]);
      const updated = Number((counted as Array<{ n: number }>)[0]?.n ?? 0);
      return { created: rows.length - updated, updated };
    },

    /** Creates or replaces one product, and reads it back in the same step. */
    async put(row: ProductInput, now: number): Promise<{ created: boolean; row: ProductRow }> {
      const [counted, , read] = await db.batch([
        ...upserting([row], now),
        db.select().from(products).where(eq(products.id, row.id)),
      ]);
      const stored = (read as ProductRow[])[0];
      if (stored === undefined) throw new Error('a product just written could not be read back');
      return { created: Number((counted as Array<{ n: number }>)[0]?.n ?? 0) === 0, row: stored };
    },

    async get(id: string): Promise<ProductRow | undefined> {
      return db.select().from(products).where(eq(products.id, id)).get();
    },

    /** A page of products in id order, after the id `after`. */
    list: (limit: number, after?: string) => keyPage(db, products, products.id, limit, after),

    /** Deletes a product; whether there was one. Lines already in carts keep their name and price. */
    async remove(id: string): Promise<boolean> {
      const gone = await db.delete(products).where(eq(products.id, id)).returning({ id: products.id });
      return gone.length > 0;
    },

    /** The name and price in `currency` of each product on sale, for the lines of a new cart. */
    async priced(ids: string[], currency: string) {
      const unique = [...new Set(ids)];
      const rows =
        unique.length === 0
          ? []
          : await db
              .select({
                id: products.id,
                name: products.name,
                price: sql<number | null>`json_extract(${products.prices}, '$.' || ${currency})`,
              })
              .from(products)
              .where(
                sql`${products.id} in (select value from json_each(${JSON.stringify(unique)})) and ${products.active}`,
              );
      return new Map(rows.map((row) => [row.id, { name: row.name, price: row.price }]));
    },
  };
}

export type ProductStore = ReturnType<typeof productStore>;
