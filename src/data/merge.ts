import { sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Caller } from '../cart/caller.js';
import { type MergeMode, type MergeWarning, planMerge } from '../cart/merge.js';
import type { MergeRefusal } from '../cart/refusals.js';
import { expiryAfter } from '../cart/rules.js';
import { cartReadBack, customerCartId, documentOf, readCustomerCart, stateOf } from './cart-document.js';
import { bodyOf, type CartDocument, codesOf } from './cart-json.js';
import { compile, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { bumpWhere, reservedUntil, reservingSlot, runGuarded, stampedBy } from './guarded.js';
import { cartDiscounts, cartItems, carts, stock } from './schema.js';
import { cartColumn, liveAt, qualified } from './sql-rules.js';

/** A merge: the anonymous cart, the customer taking it, how lines combine, and the clock. */
export interface MergeContext {
  anonymousId: string;
  customerId: string;
  mode: MergeMode;
  now: number;
  ttlDays: number;
  /** With INVENTORY=reserve: the minutes the merged cart's units stay reserved (README, Stock); else null. */
  reserveMinutes: number | null;
}

export type MergeOutcome =
  | { merged: true; cart: CartDocument; warnings: MergeWarning[] }
  | {
      merged: false;
      refusal: MergeRefusal;
      cart: CartDocument | undefined;
    };

const now = sql`${slot('now')}`;
const stamped = stampedBy();
const a = (column: AnySQLiteColumn) => qualified('a', column);

/** The anonymous cart is as read: same version, open, live, and anonymous or already the customer's. */
const anonymousAsRead = sql`exists (select 1 from ${carts} as ${sql.identifier('a')}
  where ${a(carts.id)} = ${slot('anonymousId')} and ${a(carts.version)} = ${slot('anonymousVersion')}
    and ${a(carts.status)} = 'open' and ${liveAt(a(carts.expiresAt), now)}
    and (${a(carts.customerId)} is null or ${a(carts.customerId)} = ${slot('customerId')}))`;

/** No open cart of the customer: the anonymous cart (the slot `cartId`) becomes theirs, keeping its id. */
const bind = bumpWhere(
  [
    sql`${carts.version} = ${slot('anonymousVersion')}`,
    sql`${carts.status} = 'open'`,
    sql`(${carts.customerId} is null or ${carts.customerId} = ${slot('customerId')})`,
    liveAt(cartColumn(carts.expiresAt), now),
    sql`${customerCartId} is null`,
  ],
  { also: sql`customer_id = ${slot('customerId')}` },
);

/** A column of the anonymous cart, read in the statement that moves the customer's. */
const ofAnonymous = (column: AnySQLiteColumn) =>
  sql`(select ${a(column)} from ${carts} as ${sql.identifier('a')} where ${a(carts.id)} = ${slot('anonymousId')})`;
/** What the customer's cart lacks it takes from the anonymous one (API.md §10): an e-mail, an address (and a delivery, below). */
const TAKEN = [carts.email, carts.shippingAddress, carts.billingAddress];

/**
 * With INVENTORY=reserve (README, Stock), the merged cart's reservations:
 * renewed where both carts' are live (the units move from one to the other)
 * or the anonymous cart holds no tracked product; otherwise lapsed at once,
 * so no unit the anonymous cart held in a lapsed reservation is reserved
 * unchecked (the cart shows its warnings, and its checkout takes only what other carts leave).
 */
const mergedReservations = sql`case when ${slot('reserveUntil')} is null then null
    when ${carts.reservedUntil} > ${now} and (${ofAnonymous(carts.reservedUntil)} > ${now}
      or not exists (select 1 from ${cartItems} join ${stock} on ${stock.productId} = ${cartItems.productId}
        where ${cartItems.cartId} = ${slot('anonymousId')}))
      then ${slot('reserveUntil')} else min(coalesce(${carts.reservedUntil}, ${now}), ${now}) end`;

/** The customer's cart (the slot `cartId`) moves only while both carts are as the plan was made from. */
const bump = bumpWhere(
  [
    sql`${carts.version} = ${slot('targetVersion')}`,
    sql`${carts.status} = 'open'`,
    sql`${carts.customerId} = ${slot('customerId')}`,
    liveAt(cartColumn(carts.expiresAt), now),
    anonymousAsRead,
  ],
  {
    renew: mergedReservations,
    also: sql.join(
      [
        ...TAKEN.map(
          (column) => sql`${sql.identifier(column.name)} = coalesce(${cartColumn(column)}, ${ofAnonymous(column)})`,
        ),
        // A delivery selection is taken whole: the rate and the name it was selected under.
        sql`delivery_name = case when ${cartColumn(carts.deliveryOptionId)} is null
          then ${ofAnonymous(carts.deliveryName)} else ${cartColumn(carts.deliveryName)} end`,
        sql`delivery_option_id = coalesce(${cartColumn(carts.deliveryOptionId)}, ${ofAnonymous(carts.deliveryOptionId)})`,
      ],
      sql`, `,
    ),
  },
);
const updateQuantities = compile(
  sql`update ${cartItems} set quantity = (select ${sql.identifier('j')}.${sql.identifier('value')} ->> 1
      from json_each(${slot('updates')}) as ${sql.identifier('j')}
      where ${sql.identifier('j')}.${sql.identifier('value')} ->> 0 = ${cartItems.id}), updated_at = ${now}
    where ${cartItems.cartId} = ${slot('cartId')}
      and ${cartItems.id} in (select value ->> 0 from json_each(${slot('updates')})) and ${stamped}`,
);
const deleteLines = compile(
  sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')}
    and ${cartItems.id} in (select value from json_each(${slot('deletes')})) and ${stamped}`,
);
const insertLines = compile(
  sql`insert into ${cartItems} (cart_id, product_id, name, unit_price, quantity, metadata, price_source, created_at, updated_at,
      reserved_until)
    select ${slot('cartId')}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ${now}, ${now},
      (select ${carts.reservedUntil} from ${carts} where ${carts.id} = ${slot('cartId')})
    from json_each(${slot('inserts')}) where ${stamped}`,
);
const dropAnonymous = [
  compile(sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('anonymousId')} and ${stamped}`),
  compile(sql`delete from ${cartDiscounts} where ${cartDiscounts.cartId} = ${slot('anonymousId')} and ${stamped}`),
  compile(sql`delete from ${carts} where ${carts.id} = ${slot('anonymousId')} and ${stamped}`),
];

/** How often a merge is planned again when either cart changed under it. */
const ATTEMPTS = 5;

/**
 * Merges the anonymous cart `anonymousId` into the customer's open cart on
 * sign-in (API.md §8), in one atomic step: the plan is made from both carts
 * as read, and the step applies it only while neither has moved (else it is
 * planned again). With no open customer cart, the anonymous cart becomes the
 * customer's. The anonymous cart (and any codes on it) is deleted with the
 * merge. Of two merges of one anonymous cart, one wins; the other then finds
 * no cart (`cart-not-found`).
 *
 * @example
 * const outcome = await mergeCarts(db, { anonymousId, customerId: 'user_1', mode: 'sum', now, ttlDays: 30 });
 */
export async function mergeCarts(db: Db, m: MergeContext): Promise<MergeOutcome> {
  const caller: Caller = { customerId: m.customerId, admin: false };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const reserving = reservingSlot(m.reserveMinutes);
    const base = {
      now: m.now,
      reserving,
      customerId: m.customerId,
      anonymousId: m.anonymousId,
      op: crypto.randomUUID(),
    };
    // Both carts in one step: the anonymous one, and the customer's open one.
    const [anonymousRows, targetRows] = await runBatch(db, [
      cartReadBack.inBatch(db, { ...base, cartId: m.anonymousId }),
      readCustomerCart.inBatch(db, base),
    ]);
    const anonymous = documentOf(anonymousRows?.[0]);
    const target = documentOf(targetRows?.[0]);
    const seen = stateOf(anonymous, caller);
    if (
      anonymous === undefined ||
      seen.cart === undefined ||
      (seen.cart.expiresAt !== null && seen.cart.expiresAt <= m.now)
    )
      return { merged: false, refusal: 'cart-not-found', cart: undefined };
    if (seen.cart.status === 'checked_out') return { merged: false, refusal: 'cart-closed', cart: anonymous };
    // The classic surface's default cart never expires and is nobody's to take.
    if (seen.cart.expiresAt === null) return { merged: false, refusal: 'cart-permanent', cart: undefined };
    const given = {
      ...base,
      anonymousVersion: anonymous.version,
      expiry: expiryAfter(m.now, m.ttlDays),
      // The anonymous cart's units move to the customer's, reserved from now (README, Stock).
      reserveUntil: reservedUntil(m.now, m.reserveMinutes),
    };
    const anonymousCart = bodyOf(anonymous);
    // A cart already theirs has nothing to merge: a merge that lost a race to bind it ends here too.
    if (anonymousCart.customer_id === m.customerId)
      return { merged: false, refusal: 'already-merged', cart: anonymous };
    if (target === undefined) {
      // No open cart of theirs: the anonymous cart becomes theirs, keeping its id.
      const [bound, read] = await runGuarded(db, [bind, cartReadBack], { ...given, cartId: m.anonymousId });
      const cart = documentOf(read?.[0]);
      if ((bound?.length ?? 0) > 0 && cart !== undefined) return { merged: true, cart, warnings: [] };
      continue;
    }
    const targetCart = bodyOf(target);
    const targetId = targetCart.id;
    // Amounts are in minor units of one currency: lines of another cannot join.
    if (targetCart.currency !== anonymousCart.currency)
      return { merged: false, refusal: 'currency-differs', cart: target };
    const plan = planMerge(stateOf(target, caller).lines, seen.lines, m.mode);
    // Codes are not carried over: the customer attaches again what still applies to their cart.
    for (const [code] of codesOf(anonymous))
      plan.warnings.push({
        code: 'code-dropped',
        path: `discount_codes.${code}`,
        message: `The code ${code} was on the anonymous cart; attach it again to use it.`,
      });
    const values = {
      ...given,
      cartId: targetId,
      targetVersion: target.version,
      updates: JSON.stringify(plan.updates),
      deletes: JSON.stringify(plan.deletes),
      inserts: JSON.stringify(
        plan.inserts.map((line) => [
          line.productId,
          line.name,
          line.unitPrice,
          line.quantity,
          line.metadata,
          line.priceSource,
        ]),
      ),
    };
    const statements = [bump, deleteLines, updateQuantities, insertLines, ...dropAnonymous, cartReadBack];
    const results = await runGuarded(db, statements, values);
    const cart = documentOf(results.at(-1)?.[0]);
    if ((results[0]?.length ?? 0) > 0 && cart !== undefined) return { merged: true, cart, warnings: plan.warnings };
  }
  return { merged: false, refusal: 'merge-conflict', cart: undefined };
}
