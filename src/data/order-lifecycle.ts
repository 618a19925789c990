import { sql } from 'drizzle-orm';
import { NEXT_STATUSES, type OrderStatus, statusesBefore, transitionMessage } from '../cart/order-status.js';
import { memo } from '../lib/memo.js';
import { iso } from './cart-json.js';
import { compile, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { eventInsert } from './events.js';
import { discounts, orders } from './schema.js';
import { qualified } from './sql-rules.js';
import { stockByOrder } from './stock.js';

/*
 * The order lifecycle (README, The order lifecycle) in one batch, all or nothing: the move,
 * guarded in the statement that makes it by the order's status (and its
 * version, for If-Match), then what the move brings, acting only where the
 * move's stamp is: its event, and for a cancellation the discount
 * redemptions and the stock it took given back. A move is judged on the
 * status the order is in when it runs: of two moves racing to one status
 * only one passes, and a second cancellation finds the order cancelled and
 * gives nothing back twice.
 */

/** What a move asks: the order, its next status, the payment reference to set (null: keep), If-Match's versions. */
export interface OrderMove {
  orderId: string;
  to: OrderStatus;
  paymentReference: string | null;
  /** The versions If-Match names; 'any' for `*`; undefined without the header. */
  ifMatch: readonly number[] | 'any' | undefined;
  now: number;
  eventId: string;
  source: string;
}

export type OrderMoveOutcome =
  | { moved: true; body: string; version: number }
  | { moved: false; refusal: 'not-found' }
  | { moved: false; refusal: 'precondition-failed'; version: number }
  | {
      moved: false;
      refusal: 'transition-invalid';
      from: OrderStatus;
      allowed: readonly OrderStatus[];
      message: string;
    };

const now = sql`${slot('now')}`;
/** The order being moved, once the move's stamp is on it. */
const moved = sql`${orders.id} = ${slot('orderId')} and ${orders.lastOp} = ${slot('op')}`;

/** The statements of a move to `to`, built once each: the event's type is part of their text. */
const statementsTo = memo<OrderStatus, ReturnType<typeof build>>();

function build(to: OrderStatus) {
  const history = sql`json_insert(json_extract(${orders.body}, '$.status_history'), '$[#]',
    json_object('status', ${to}, 'at', ${iso(now)}))`;
  const reference = sql`coalesce(${slot('paymentReference')}, json_extract(${orders.body}, '$.payment_reference'))`;
  return {
    move: compile(
      sql`update ${orders} set status = ${to}, version = ${orders.version} + 1, last_op = ${slot('op')},
          body = json_set(${orders.body}, '$.status', ${to}, '$.version', ${orders.version} + 1,
            '$.status_history', ${history}, '$.payment_reference', ${reference})
        where ${orders.id} = ${slot('orderId')}
          and ${orders.status} in (select value from json_each(${JSON.stringify(statusesBefore(to))}))
          and (${slot('ifMatch')} is null or ${orders.version} in (select value from json_each(${slot('ifMatch')})))`,
    ),
    event: compile(sql`${eventInsert(`order.${to}` as const, orders.body)} from ${orders} where ${moved}`),
    // A cancelled order gives back the redemption of each code it was placed with (each was redeemed once).
    giveBack:
      to === 'cancelled'
        ? compile(
            sql`update ${discounts} set redemptions = max(${discounts.redemptions} - 1, 0)
              where ${discounts.code} in (select json_extract(value, '$.code')
                from ${orders}, json_each(${orders.body}, '$.discounts') where ${moved})`,
          )
        : undefined,
    // A cancelled order gives back the units it took of each tracked product (README, Stock).
    restock:
      to === 'cancelled'
        ? compile(stockByOrder('give back', sql`${qualified('t', orders.lastOp)} = ${slot('op')}`))
        : undefined,
    read: compile(
      sql`select ${orders.lastOp} = ${slot('op')}, ${orders.body}, ${orders.version}, ${orders.status}
        from ${orders} where ${orders.id} = ${slot('orderId')}`,
    ),
  };
}

/** Moves an order to its next status (README, The order lifecycle), or says why not, nothing changed. */
export async function moveOrder(db: Db, m: OrderMove): Promise<OrderMoveOutcome> {
  const s = statementsTo(m.to, () => build(m.to));
  const values = {
    orderId: m.orderId,
    op: crypto.randomUUID(),
    now: m.now,
    paymentReference: m.paymentReference,
    // `*` matches any order there is: the move's own guard finds the one there is.
    ifMatch: m.ifMatch === undefined || m.ifMatch === 'any' ? null : JSON.stringify(m.ifMatch),
    eventId: m.eventId,
    source: m.source,
  };
  const steps = [s.move, s.event, ...(s.giveBack ? [s.giveBack] : []), ...(s.restock ? [s.restock] : []), s.read];
  const results = await runBatch(
    db,
    steps.map((step) => step.inBatch(db, values)),
  );
  const row = results.at(-1)?.[0];
  if (row === undefined) return { moved: false, refusal: 'not-found' };
  const [stamped, body, version, from] = [row[0], row[1] as string, Number(row[2]), row[3] as OrderStatus];
  if (stamped === 1) return { moved: true, body, version };
  if (Array.isArray(m.ifMatch) && !m.ifMatch.includes(version))
    return { moved: false, refusal: 'precondition-failed', version };
  return {
    moved: false,
    refusal: 'transition-invalid',
    from,
    allowed: NEXT_STATUSES[from],
    message: transitionMessage(from, m.to),
  };
}
