import type { Caller } from '../cart/caller.js';
import type { Preconditions } from '../cart/changes.js';
import { codeFactsOf } from '../cart/discounts.js';
import { factsOf, holds, type LineRecord, values } from '../cart/model.js';
import { type CheckoutRefusal, explain } from '../cart/refusals.js';
import { checkoutChecks, codeChecks, orderTotal, shippingTotal } from '../cart/rules.js';
import type { TaxSetting } from '../cart/tax.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import { type CartDocument, codeRecordOf, codesOf } from './cart-json.js';
import { selectionFacts } from './cart-view.js';
import { staleRead, statements } from './checkout-statements.js';
import type { Db } from './db.js';
import { type CheckoutPlan, checkoutPlanOf, guessedCheckout, planCurrent, taxPlanCurrent } from './discount-plan.js';
import { changeValues, explained, runGuarded } from './guarded.js';
import type { RecentCarts } from './recent-carts.js';
import type { InventoryMode } from './sql-rules.js';
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
  /** The total the buyer was shown (API.md §10): another total refuses the checkout (`total-changed`); null: none. */
  expectedTotal: number | null;
  /** Who asks: a cart bound to a customer exists only for them and the admin. */
  caller: Caller;
  /** How the order is taxed (API.md §11). */
  tax: TaxSetting;
  /**
   * INVENTORY (README, Stock): with `track` or `reserve` the order takes the
   * stock of its tracked lines, all of it or none (with `reserve`, what its
   * live reservations hold, first come first served).
   */
  inventory: InventoryMode;
  /** With INVENTORY=reserve: minutes a change reserves for (the checkout's own reserves nothing past the order). */
  reserveMinutes: number | null;
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
      /** For `total-changed`: the total the step worked out. */
      total: number | null;
      /** For `insufficient-stock`: each line of a product the cart holds more of than is on hand, and what is available. */
      short: Array<{ lineId: number; available: number }>;
    };

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
 * works them out from the cart as this process last read it (`recent`: the
 * buyer was shown the cart, then checks it out), else assumes no code (the
 * common case): either way one round trip. A cart whose guess was wrong, or
 * that changed meanwhile, is tried again with its discounts worked out from
 * the state that attempt read back.
 *
 * @example
 * const outcome = await checkout(db, { cartId, now, ttlDays: 30, when: {}, prices: 'catalog', … });
 */
export async function checkout(db: Db, m: CheckoutContext, recent: RecentCarts): Promise<CheckoutOutcome> {
  let plan = guessedCheckout(recent.get(m.cartId), m);
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptCheckout(db, m, plan);
    if (outcome.placed) recent.forget(m.cartId);
    else recent.note(m.cartId, outcome.cart);
    if (outcome.placed || outcome.refusal !== 'cart-changed' || outcome.cart === undefined || attempt === ATTEMPTS)
      return outcome;
    plan = checkoutPlanOf(outcome.cart, m.now, m.tax);
  }
}

async function attemptCheckout(db: Db, m: CheckoutContext, plan: CheckoutPlan): Promise<CheckoutOutcome> {
  const { s, values: tags } = statements(m.prices, m.trusted, m.inventory, m.when);
  const given = {
    ...tags,
    ...plan,
    ...changeValues(m),
    repriceOp: crypto.randomUUID(),
    orderId: m.orderId,
    eventId: m.eventId,
    source: m.source,
    email: m.email,
    metadata: m.metadata,
    expectedTotal: m.expectedTotal,
  };
  const catalog = m.prices === 'catalog';
  const steps = [
    ...(catalog ? [staleRead, s.repriceBump, s.mergeMark, s.mergeInto, s.mergeDrop, s.reprice] : []),
    s.close,
    s.insertOrder,
    ...(s.takeStock ? [s.takeStock] : []),
    s.insertEvent,
    s.redeem,
    s.emptyDefault,
    s.emptyDefaultCodes,
    visibleReadBack,
    s.readOrder,
  ];
  const results = await runGuarded(db, steps, given);
  const [staleRows, repriced] = catalog ? [results[0] ?? [], results[1] ?? []] : [[], []];
  const [closed, ...after] = results.slice(catalog ? 6 : 0);
  const [documents, orderRows] = after.slice(-2);
  const cart = documentOf(documents?.[0]);
  const order = (orderRows?.[0]?.[0] ?? undefined) as string | undefined;
  if ((closed?.length ?? 0) > 0 && order !== undefined && cart !== undefined) return { placed: true, order, cart };
  const stale = staleRows.map((row) => ({
    lineId: row[0] as number,
    oldPrice: row[1] as number,
    newPrice: (row[2] ?? null) as number | null,
  }));
  const state = stateOf(cart, m.caller);
  const codes = codesOf(cart);
  const held = new Set(JSON.parse(plan.held) as string[]);
  const now = BigInt(m.now);
  const base = factsOf(state, { kind: 'clear' });
  const facts = {
    ...base,
    stale: BigInt(stale.length),
    repricedSubtotal: repriced.length > 0 ? base.subtotal : repricedSubtotalOf(base.subtotal, state.lines, stale),
    repricedQuantity: repriced.length > 0 ? 0n : repricedQuantityOf(state.lines, stale),
    untrusted: m.trusted ? 0n : BigInt(state.lines.filter((line) => line.priceSource === 'custom').length),
    discountsCurrent: planCurrent(plan, cart),
    discountTotal: BigInt(plan.discountTotal),
    expectedTotal: m.expectedTotal === null ? null : BigInt(m.expectedTotal),
    discountsHeld: codes
      .filter((code) => held.has(code[0]))
      .every((code) => codeChecks(values, codeFactsOf(codeRecordOf(code)), now).every((check) => holds(check.holds))),
    ...selectionFacts(cart),
    deliveryNeeded: orderRows?.[0]?.[1] === 1,
    taxCurrent: true,
    taxPending: plan.taxPending === 1,
    taxStale: plan.taxStale === 1,
    taxAdded: BigInt(plan.taxAdded),
    stockShort: 0n,
  };
  const short = (JSON.parse((orderRows?.[0]?.[2] as string | undefined) ?? '[]') as Array<[number, number]>).map(
    ([lineId, available]) => ({ lineId, available }),
  );
  const shortProducts = new Set(short.map((row) => state.lines.find((line) => line.id === row.lineId)?.productId));
  facts.stockShort = BigInt(shortProducts.size);
  facts.taxCurrent = taxPlanCurrent(plan, cart, Number(shippingTotal(values, facts) ?? 0n));
  // Repriced in this step: every other rule held, and the version has moved since.
  const checks = checkoutChecks(values, facts, m.when, now);
  const judged: { refusal: CheckoutRefusal; message: string } =
    repriced.length > 0
      ? { refusal: 'prices-changed', message: explain('prices-changed', facts, { kind: 'clear' }) }
      : explained('a checkout', checks, facts);
  const total = facts.subtotal === null ? null : Number(orderTotal(values, facts));
  return { placed: false, ...judged, cart, stale, total, short };
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

/**
 * The most the catalog lines of one product and metadata hold together, of
 * the groups a reprice would make one line (those holding a stale line the
 * catalog still prices): sql-rules.ts `repricedQuantity`, on the cart read back.
 */
function repricedQuantityOf(lines: LineRecord[], stale: StaleLine[]) {
  const groupOf = (line: LineRecord) => `${line.productId}|${line.metadata}`;
  const repriced = new Set(
    stale.filter((row) => row.newPrice !== null).map((row) => lines.find((line) => line.id === row.lineId)),
  );
  const groups = new Set([...repriced].flatMap((line) => (line === undefined ? [] : [groupOf(line)])));
  let most = 0n;
  for (const group of groups) {
    const total = lines
      .filter((line) => line.priceSource === 'catalog' && groupOf(line) === group)
      .reduce((sum, line) => sum + BigInt(line.quantity), 0n);
    if (total > most) most = total;
  }
  return most;
}
