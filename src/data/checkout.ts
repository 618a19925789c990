import { sql } from 'drizzle-orm';
import type { Caller } from '../cart/caller.js';
import type { Preconditions } from '../cart/changes.js';
import { codeFactsOf } from '../cart/discounts.js';
import { LIMITS } from '../cart/limits.js';
import { factsOf, firstFailing, holds, type LineRecord, values } from '../cart/model.js';
import { type CheckoutRefusal, explain } from '../cart/refusals.js';
import { checkoutChecks, codeChecks, expiryAfter, repriceCheck } from '../cart/rules.js';
import { memo } from '../lib/memo.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import { type AttachedCode, type CartDocument, codeRecordOf, documentDiscounts, snapshotOf } from './cart-json.js';
import { compile, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { callerValues, preconditionSlots, renewedExpiry, stampedBy } from './guarded.js';
import { cartDiscounts, cartItems, carts, discounts, events, orders } from './schema.js';
import { anyRepriceable, cartColumn, catalogPrice, sqlCheckoutFacts, sqlTerms, staleLine } from './sql-rules.js';

/** What a checkout needs besides the cart id. */
export interface CheckoutContext {
  cartId: string;
  now: number;
  ttlDays: number;
  when: Preconditions;
  /** `catalog`: every catalog line must still carry the catalog's price. */
  prices: 'catalog' | 'client';
  /** Whether a custom-priced line was set by a caller the service trusts (else such a line refuses the checkout). */
  trusted: boolean;
  orderId: string;
  eventId: string;
  /** The CloudEvents `source` of the `order.placed` event. */
  source: string;
  email: string | null;
  metadata: string;
  /** Who asks: a cart bound to a customer exists only for them and the admin. */
  caller: Caller;
}

/** A catalog line whose price no longer matches the catalog: its price before, and the catalog's (null: gone). */
export interface StaleLine {
  lineId: number;
  oldPrice: number;
  newPrice: number | null;
}

export type CheckoutOutcome =
  | { placed: true; order: string; cart: CartDocument }
  | {
      placed: false;
      refusal: CheckoutRefusal;
      message: string;
      cart: CartDocument | undefined;
      /** For `prices-changed`: every stale line, as it was before this step repriced it. */
      stale: StaleLine[];
    };

const iso = (ms: ReturnType<typeof sql>) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
const L = (column: { name: string }) => sql`${sql.identifier('l')}.${sql.identifier(column.name)}`;
const now = sql`${slot('now')}`;

/** The catalog lines of the cart that no longer match the catalog, before anything changes. */
const staleRead = compile(
  sql`select ${L(cartItems.id)}, ${L(cartItems.unitPrice)}, ${catalogPrice(L(cartItems.productId))}
    from ${cartItems} as ${sql.identifier('l')} join ${carts} on ${carts.id} = ${L(cartItems.cartId)}
    where ${L(cartItems.cartId)} = ${slot('cartId')} and ${staleLine} order by ${L(cartItems.id)}`,
);

/**
 * The order resource of API.md §5 as JSON, built by the database from the
 * cart row a statement is about: the lines as they are, every total from the
 * stored integers.
 */
// A JavaScript number is bound as a REAL: cast, so the order says 1100, not 1100.0.
const discountTotal = sql`cast(${slot('discountTotal')} as integer)`;
const orderJson = sql`json_object(
  'id', ${slot('orderId')},
  'cart_id', ${cartColumn(carts.id)},
  'status', 'placed',
  'currency', ${cartColumn(carts.currency)},
  'items', (select json_group_array(json_object(
      'product_id', ${L(cartItems.productId)},
      'name', ${L(cartItems.name)},
      'unit_price', ${L(cartItems.unitPrice)},
      'quantity', ${L(cartItems.quantity)},
      'line_total', ${L(cartItems.unitPrice)} * ${L(cartItems.quantity)},
      'discount_allocations', json(coalesce(json_extract(${slot('allocations')}, '$."' || ${L(cartItems.id)} || '"'), '[]')),
      'metadata', json(${L(cartItems.metadata)})) order by ${L(cartItems.id)})
    from ${cartItems} as ${sql.identifier('l')} where ${L(cartItems.cartId)} = ${cartColumn(carts.id)}),
  'subtotal', (select cast(total(${L(cartItems.unitPrice)} * ${L(cartItems.quantity)}) as integer)
    from ${cartItems} as ${sql.identifier('l')} where ${L(cartItems.cartId)} = ${cartColumn(carts.id)}),
  'discount_total', ${discountTotal},
  'discounts', json(${slot('discounts')}),
  'total', (select cast(total(${L(cartItems.unitPrice)} * ${L(cartItems.quantity)}) as integer)
    from ${cartItems} as ${sql.identifier('l')} where ${L(cartItems.cartId)} = ${cartColumn(carts.id)})
    - ${discountTotal},
  'email', ${slot('email')},
  'customer_id', ${cartColumn(carts.customerId)},
  'metadata', json(${slot('metadata')}),
  'created_at', ${iso(now)})`;

/** The statements of a checkout, by price mode; their text does not depend on the database. */
function statementsFor(prices: 'catalog' | 'client', trusted: boolean, when: Preconditions) {
  const facts = sqlCheckoutFacts(prices === 'catalog', trusted, now);
  const checks = checkoutChecks(sqlTerms, facts, when, now);
  const allBut = (refusal: CheckoutRefusal) =>
    sqlTerms.and(...checks.filter((check) => check.refusal !== refusal).map((check) => check.holds));
  // The catalog's price of the line being updated, in its cart's currency.
  const currencyOfCart = sql`(select ${carts.currency} from ${carts} where ${carts.id} = ${slot('cartId')})`;
  const catalogNow = catalogPrice(cartItems.productId, currencyOfCart);
  // Lines of the cart being checked out, as `alias`: a column, the catalog's price now, the same product and metadata.
  const col = (alias: string, column: { name: string }) => sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;
  const priceNow = (alias: string) => catalogPrice(col(alias, cartItems.productId), currencyOfCart);
  const inCart = (alias: string) =>
    sql`${cartItems} as ${sql.identifier(alias)} where ${col(alias, cartItems.cartId)} = ${slot('cartId')}`;
  const repriceable = (alias: string) =>
    sql`${col(alias, cartItems.priceSource)} = 'catalog' and ${priceNow(alias)} is not null
      and ${col(alias, cartItems.unitPrice)} is not ${priceNow(alias)}`;
  const sameLine = (a: string, b: string) =>
    sql`${col(a, cartItems.productId)} = ${col(b, cartItems.productId)} and ${col(a, cartItems.metadata)} = ${col(b, cartItems.metadata)}
      and ${col(a, cartItems.priceSource)} = ${col(b, cartItems.priceSource)}`;
  // A merged stale line is marked by the step's own id in its name until it is deleted, in the same batch.
  const marked = (alias: string) => sql`${col(alias, cartItems.name)} = ${slot('repriceOp')}`;
  return {
    // Every rule holds but the prices, the catalog still prices a stale line, and the repriced subtotal
    // stays within the cap: reprice, and the version moves.
    repriceBump: compile(
      sql`update ${carts} set version = ${carts.version} + 1, updated_at = ${now}, expires_at = ${renewedExpiry},
        last_op = ${slot('repriceOp')}
        where ${carts.id} = ${slot('cartId')} and ${allBut('prices-changed')} and ${anyRepriceable}
          and ${repriceCheck(sqlTerms, facts).holds}
        returning ${carts.version}`,
    ),
    // A stale line whose new price is its twin's (a line of the same product and metadata already at the
    // catalog's price) merges into the twin, where together with the twin's other stale lines it stays
    // within a line's quantity; otherwise it keeps its old price (and stays stale) until the buyer lowers one.
    mergeMark: compile(
      sql`update ${cartItems} as ${sql.identifier('l')} set name = ${slot('repriceOp')}
        where ${col('l', cartItems.cartId)} = ${slot('cartId')} and ${repriceable('l')} and ${stampedBy('repriceOp')}
          and exists (select 1 from ${inCart('t')} and ${sameLine('t', 'l')} and ${col('t', cartItems.unitPrice)} = ${priceNow('l')}
            and ${col('t', cartItems.quantity)} + (select sum(${col('s', cartItems.quantity)}) from ${inCart('s')}
              and ${sameLine('s', 'l')} and ${repriceable('s')}) <= ${sql.raw(String(LIMITS.quantityMax))})`,
    ),
    mergeInto: compile(
      sql`update ${cartItems} as ${sql.identifier('t')} set updated_at = ${now}, quantity = ${col('t', cartItems.quantity)}
          + (select sum(${col('s', cartItems.quantity)}) from ${inCart('s')} and ${marked('s')} and ${sameLine('s', 't')})
        where ${col('t', cartItems.cartId)} = ${slot('cartId')} and ${col('t', cartItems.unitPrice)} is ${priceNow('t')}
          and exists (select 1 from ${inCart('s')} and ${marked('s')} and ${sameLine('s', 't')})`,
    ),
    mergeDrop: compile(
      sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')} and ${cartItems.name} = ${slot('repriceOp')}`,
    ),
    // A line whose new price would make it another line's twin keeps its old price (and stays stale).
    reprice: compile(
      sql`update or ignore ${cartItems} set unit_price = ${catalogNow}, updated_at = ${now}
        where ${cartItems.cartId} = ${slot('cartId')} and ${cartItems.priceSource} = 'catalog'
          and ${catalogNow} is not null and ${cartItems.unitPrice} is not ${catalogNow}
          and ${stampedBy('repriceOp')}`,
    ),
    // Every rule holds, and nothing was repriced in this step: the cart closes into the order.
    close: compile(
      sql`update ${carts} set version = ${carts.version} + 1, updated_at = ${now}, expires_at = ${renewedExpiry},
        status = case when ${carts.expiresAt} is null then 'open' else 'checked_out' end,
        order_id = case when ${carts.expiresAt} is null then null else ${slot('orderId')} end,
        last_op = ${slot('op')}
        where ${carts.id} = ${slot('cartId')} and ${sqlTerms.and(...checks.map((check) => check.holds))}
          and ${carts.lastOp} is not ${slot('repriceOp')}
        returning ${carts.version}`,
    ),
    insertOrder: compile(
      sql`insert into ${orders} (id, cart_id, customer_id, body, created_at)
        select ${slot('orderId')}, ${carts.id}, ${carts.customerId}, ${orderJson}, ${now}
        from ${carts} where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')}`,
    ),
    insertEvent: compile(
      sql`insert into ${events} (id, type, body, status, attempts, next_attempt_at, created_at)
        select ${slot('eventId')}, 'order.placed', json_object(
          'specversion', '1.0', 'id', ${slot('eventId')}, 'source', ${slot('source')}, 'type', 'order.placed',
          'time', ${iso(now)}, 'datacontenttype', 'application/json', 'data', json(${orders.body})),
          'pending', 0, ${now}, ${now}
        from ${orders} where ${orders.id} = ${slot('orderId')}`,
    ),
    // Each code the order applies is redeemed once, in the step its limit was checked in.
    redeem: compile(
      sql`update ${discounts} set redemptions = ${discounts.redemptions} + 1
        where ${discounts.code} in (select value from json_each(${slot('applied')})) and ${stampedBy()}`,
    ),
    // The default cart (no expiry) is permanent, as the classic surface needs it: checked out, it stays open and empties.
    emptyDefault: compile(
      sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')} and exists (select 1 from ${carts}
        where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')} and ${carts.expiresAt} is null)`,
    ),
    emptyDefaultCodes: compile(
      sql`delete from ${cartDiscounts} where ${cartDiscounts.cartId} = ${slot('cartId')} and exists (select 1 from ${carts}
        where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')} and ${carts.expiresAt} is null)`,
    ),
    readOrder: compile(sql`select ${orders.body} from ${orders} where ${orders.id} = ${slot('orderId')}`),
  };
}

const compiled = memo<string, ReturnType<typeof statementsFor>>();
/** The statements for a price mode, a trust and preconditions, and the values of the preconditions' slots. */
const statements = (prices: 'catalog' | 'client', trusted: boolean, when: Preconditions) => {
  const slots = preconditionSlots(when);
  const key = `${prices}|${trusted}|${slots.key}`;
  return { s: compiled(key, () => statementsFor(prices, trusted, slots.when)), values: slots.values };
};

/**
 * The discounts an order is placed with, worked out from the cart as read
 * (`snapshot` and `expectVersion` say which): the codes that apply, what
 * each takes, and each line's share. None: the cart holds no code.
 */
interface DiscountPlan {
  snapshot: string;
  expectVersion: number | null;
  /** The codes that must still be redeemable: the ones applied, and any the cart holds that are used up. */
  held: string;
  /** The codes the order applies and redeems. */
  applied: string;
  discounts: string;
  allocations: string;
  discountTotal: number;
}

const NO_DISCOUNTS: DiscountPlan = {
  snapshot: '[]',
  expectVersion: null,
  held: '[]',
  applied: '[]',
  discounts: '[]',
  allocations: '{}',
  discountTotal: 0,
};

function planOf(cart: CartDocument, now: number): DiscountPlan {
  const worked = documentDiscounts(cart, now);
  if (worked === undefined) return NO_DISCOUNTS;
  return {
    snapshot: snapshotOf(JSON.parse(cart.codes) as AttachedCode[]),
    expectVersion: cart.version,
    // A code used up since it was attached refuses the checkout (API.md §7) rather than leaving the order without it.
    held: JSON.stringify([...worked.applied, ...worked.usedUp]),
    applied: JSON.stringify(worked.applied),
    discounts: JSON.stringify(
      worked.view.filter((code) => code.applicable).map(({ code, amount }) => ({ code, amount })),
    ),
    allocations: JSON.stringify(Object.fromEntries(worked.lines)),
    discountTotal: worked.discountTotal,
  };
}

/** How often checkout works the discounts out again for a cart that changed under it. */
const ATTEMPTS = 5;

/**
 * Checks a cart out (API.md §5) in one batch: where a catalog line's price
 * changed, the stale lines are repriced and the cart's version moves
 * (`prices-changed`); otherwise, where every rule holds, the order is
 * written, the cart closed, each applied discount code redeemed and
 * `order.placed` recorded in the outbox, all or nothing. The refusal is
 * explained from the state read in the same step.
 *
 * A cart's discounts (API.md §7) are worked out in JavaScript, exactly, from
 * the cart as read; the step checks the cart and its codes are still as
 * read, and that every applied code can still be redeemed. The first attempt
 * assumes no code (the common case, one round trip); a cart that holds codes,
 * or changed meanwhile, is tried again with its discounts worked out from
 * the state that attempt read back.
 *
 * @example
 * const outcome = await checkout(db, { cartId, now, ttlDays: 30, when: {}, prices: 'catalog', … });
 */
export async function checkout(db: Db, m: CheckoutContext): Promise<CheckoutOutcome> {
  let plan = NO_DISCOUNTS;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptCheckout(db, m, plan);
    if (outcome.placed || outcome.refusal !== 'cart-changed' || outcome.cart === undefined || attempt === ATTEMPTS)
      return outcome;
    plan = planOf(outcome.cart, m.now);
  }
}

async function attemptCheckout(db: Db, m: CheckoutContext, plan: DiscountPlan): Promise<CheckoutOutcome> {
  const { s, values: tags } = statements(m.prices, m.trusted, m.when);
  const given = {
    ...tags,
    ...plan,
    ...callerValues(m.caller),
    cartId: m.cartId,
    now: m.now,
    expiry: expiryAfter(m.now, m.ttlDays),
    op: crypto.randomUUID(),
    repriceOp: crypto.randomUUID(),
    orderId: m.orderId,
    eventId: m.eventId,
    source: m.source,
    email: m.email,
    metadata: m.metadata,
  };
  const catalog = m.prices === 'catalog';
  const steps = [
    ...(catalog ? [staleRead, s.repriceBump, s.mergeMark, s.mergeInto, s.mergeDrop, s.reprice] : []),
    s.close,
    s.insertOrder,
    s.insertEvent,
    s.redeem,
    s.emptyDefault,
    s.emptyDefaultCodes,
    visibleReadBack,
    s.readOrder,
  ].map((statement) => statement.inBatch(db, given));
  const results = await runBatch(db, steps);
  const [staleRows, repriced] = catalog ? [results[0] ?? [], results[1] ?? []] : [[], []];
  const [closed, , , , , , documents, orderRows] = results.slice(catalog ? 6 : 0);
  const cart = documentOf(documents?.[0]);
  const order = orderRows?.[0]?.[0] as string | undefined;
  if ((closed?.length ?? 0) > 0 && order !== undefined && cart !== undefined) return { placed: true, order, cart };
  const stale = staleRows.map((row) => ({
    lineId: row[0] as number,
    oldPrice: row[1] as number,
    newPrice: (row[2] ?? null) as number | null,
  }));
  const state = stateOf(cart, m.caller);
  const codes = cart === undefined ? [] : (JSON.parse(cart.codes) as AttachedCode[]);
  const held = new Set(JSON.parse(plan.held) as string[]);
  const now = BigInt(m.now);
  const base = factsOf(state, { kind: 'clear' });
  const facts = {
    ...base,
    stale: BigInt(stale.length),
    repricedSubtotal: repriced.length > 0 ? base.subtotal : repricedSubtotalOf(base.subtotal, state.lines, stale),
    untrusted: m.trusted ? 0n : BigInt(state.lines.filter((line) => line.priceSource === 'custom').length),
    discountsCurrent:
      snapshotOf(codes) === plan.snapshot && (plan.snapshot === '[]' || cart?.version === plan.expectVersion),
    discountsHeld: codes
      .filter((code) => held.has(code[0]))
      .every((code) => codeChecks(values, codeFactsOf(codeRecordOf(code)), now).every((check) => holds(check.holds))),
  };
  // Repriced in this step: every other rule held, and the version has moved since.
  const refusal =
    repriced.length > 0 ? 'prices-changed' : firstFailing(checkoutChecks(values, facts, m.when, now), holds);
  if (refusal === undefined) throw new Error('a checkout was refused that the cart rules allow');
  return { placed: false, refusal, message: explain(refusal, facts, { kind: 'clear' }), cart, stale };
}

/** The subtotal a cart read back unrepriced would have with its stale lines at the catalog's price. */
function repricedSubtotalOf(subtotal: bigint | null, lines: LineRecord[], stale: StaleLine[]) {
  let repriced = subtotal ?? 0n;
  for (const { lineId, oldPrice, newPrice } of stale) {
    const quantity = lines.find((line) => line.id === lineId)?.quantity ?? 0;
    if (newPrice !== null) repriced += (BigInt(newPrice) - BigInt(oldPrice)) * BigInt(quantity);
  }
  return repriced;
}
