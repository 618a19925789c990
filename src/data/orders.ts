import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { orders } from './schema.js';

/**
 * Orders as they were written at checkout (data/checkout.ts): immutable, and
 * never purged with their carts.
 *
 * @example
 * const body = await orderStore(db).get('ord_…');
 */
export function orderStore(db: Db) {
  return {
    /** The order resource as JSON text; undefined when there is none. */
    async get(id: string): Promise<string | undefined> {
      const row = await db.select({ body: orders.body }).from(orders).where(eq(orders.id, id)).get();
      return row?.body;
    },

    /** A page of orders, newest first, after the order `after` of the previous page. */
    async list(limit: number, after?: { createdAt: number; id: string }) {
      const rows = await db
        .select({ id: orders.id, createdAt: orders.createdAt, body: orders.body })
        .from(orders)
        .where(
          after === undefined
            ? undefined
            : sql`(${orders.createdAt}, ${orders.id}) < (${after.createdAt}, ${after.id})`,
        )
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit + 1);
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
  };
}

export type OrderStore = ReturnType<typeof orderStore>;
