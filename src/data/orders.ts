import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Caller } from '../platform/customer-auth.js';
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
    /**
     * The order resource as JSON text; undefined when there is none, or when
     * it is a customer's order and the caller is neither them nor the admin.
     */
    async get(id: string, caller: Caller): Promise<string | undefined> {
      const visible = caller.admin
        ? undefined
        : or(
            isNull(orders.customerId),
            caller.customerId === null ? undefined : eq(orders.customerId, caller.customerId),
          );
      const row = await db
        .select({ body: orders.body })
        .from(orders)
        .where(and(eq(orders.id, id), visible))
        .get();
      return row?.body;
    },

    /** A page of orders (a customer's, or all), newest first, after the order `after` of the previous page. */
    async list(limit: number, after?: { createdAt: number; id: string }, customerId?: string) {
      const rows = await db
        .select({ id: orders.id, createdAt: orders.createdAt, body: orders.body })
        .from(orders)
        .where(
          and(
            customerId === undefined ? undefined : eq(orders.customerId, customerId),
            after === undefined
              ? undefined
              : sql`(${orders.createdAt}, ${orders.id}) < (${after.createdAt}, ${after.id})`,
          ),
        )
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit + 1);
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
  };
}

export type OrderStore = ReturnType<typeof orderStore>;
