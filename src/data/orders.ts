import { and, eq } from 'drizzle-orm';
import type { Caller } from '../cart/caller.js';
import type { Db } from './db.js';
import { moveOrder, type OrderMove } from './order-lifecycle.js';
import { orders } from './schema.js';
import { seenByCaller } from './sql-rules.js';
import { beyond, seqOf, type TimePosition, timeOrder, timePage } from './time-order.js';

/**
 * Orders as they were written at checkout (data/checkout.ts), never purged
 * with their carts: what was placed never changes, only the lifecycle moves
 * (order-lifecycle.ts).
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
    async get(id: string, caller: Caller): Promise<{ body: string; version: number } | undefined> {
      const row = await db
        .select({ body: orders.body, version: orders.version })
        .from(orders)
        .where(and(eq(orders.id, id), seenByCaller(orders.customerId, caller)))
        .get();
      return row;
    },

    /** Moves an order to its next status (README, The order lifecycle): order-lifecycle.ts. */
    move: (m: OrderMove) => moveOrder(db, m),

    /** A page of orders (a customer's, or all), newest first, after the order `after` of the previous page. */
    async list(limit: number, after?: TimePosition, customerId?: string) {
      const rows = await db
        .select({ createdAt: orders.createdAt, seq: seqOf(orders), body: orders.body })
        .from(orders)
        .where(
          and(
            customerId === undefined ? undefined : eq(orders.customerId, customerId),
            after === undefined ? undefined : beyond(orders, orders.createdAt, after, 'desc'),
          ),
        )
        .orderBy(...timeOrder(orders, orders.createdAt, 'desc'))
        .limit(limit + 1);
      return timePage(rows, limit, (row) => ({ createdAt: row.createdAt, seq: row.seq }));
    },
  };
}

export type OrderStore = ReturnType<typeof orderStore>;
