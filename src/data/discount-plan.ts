import type { Caller } from '../cart/caller.js';
import type { TaxSetting } from '../cart/tax.js';
import { stateOf } from './cart-document.js';
import { type CartDocument, codesOf, snapshotOf } from './cart-json.js';
import { documentDiscounts, workedFigures } from './cart-view.js';

/*
 * The discounts a change is judged with where its rules depend on them
 * (checkout's order and total, a delivery's band): worked out in JavaScript,
 * exactly, from the cart as read; the change's step checks the cart and its
 * codes are still as read (sql-rules.ts `discountsCurrent`).
 */

/**
 * The discounts an order is placed with, worked out from the cart as read
 * (`snapshot` and `expectVersion` say which): the codes that apply, what
 * each takes, and each line's share. None: the cart holds no code.
 */
export interface DiscountPlan {
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

/**
 * The tax an order is placed with (API.md §11), worked out from the cart as
 * read, with what it was worked out from: the step checks the cart's tax
 * data (`taxDoc`), its lines (`linesDoc`), its delivery data (`deliveryDoc`:
 * the rate selected, its price and tax category), its delivery's amount and, for a
 * tax a tax service set, its version are still as read (checkout-statements.ts `taxCurrent`).
 */
export interface TaxPlan {
  taxMode: TaxSetting['mode'];
  /** Each line's tax lines by line id (JSON text), the shipping's, their sum. */
  lineTaxes: string;
  shippingTaxes: string;
  taxTotal: number;
  /** The tax the total adds: `taxTotal` where prices exclude tax, else 0. */
  taxAdded: number;
  pricesIncludeTax: 0 | 1;
  taxPending: 0 | 1;
  taxStale: 0 | 1;
  taxDoc: string | null;
  linesDoc: string | null;
  deliveryDoc: string | null;
  taxVersion: number | null;
  plannedShipping: number;
}

/** The tax plan of a deployment without tax: nothing to check, nothing charged. */
const UNTAXED: TaxPlan = {
  taxMode: 'none',
  lineTaxes: '{}',
  shippingTaxes: '[]',
  taxTotal: 0,
  taxAdded: 0,
  pricesIncludeTax: 0,
  taxPending: 0,
  taxStale: 0,
  taxDoc: null,
  linesDoc: null,
  deliveryDoc: null,
  taxVersion: null,
  plannedShipping: 0,
};

/** The tax of a cart as read at `now` (API.md §11). */
export function taxPlanOf(cart: CartDocument, now: number, setting: TaxSetting): TaxPlan {
  if (setting.mode === 'none') return UNTAXED;
  const { tax, shipping } = workedFigures(cart, now, setting);
  return {
    taxMode: setting.mode,
    lineTaxes: JSON.stringify(Object.fromEntries(tax.lines)),
    shippingTaxes: JSON.stringify(tax.shipping),
    taxTotal: tax.total,
    taxAdded: setting.inclusive ? 0 : tax.total,
    pricesIncludeTax: setting.inclusive ? 1 : 0,
    taxPending: tax.status === 'pending' ? 1 : 0,
    taxStale: tax.status === 'stale' ? 1 : 0,
    taxDoc: cart.tax,
    linesDoc: cart.lines,
    deliveryDoc: cart.delivery,
    // A tax a tax service set holds for the version it was set for (`stale` after).
    taxVersion: setting.mode === 'external' ? cart.version : null,
    plannedShipping: shipping,
  };
}

/** A tax plan no step finds current (nothing was read to work it out from): the step refuses, and checkout plans again. */
const unknownTax = (setting: TaxSetting): TaxPlan =>
  setting.mode === 'none' ? UNTAXED : { ...UNTAXED, taxMode: setting.mode, taxDoc: '', linesDoc: '', deliveryDoc: '' };

/** The step's `taxCurrent` on a cart read back: its tax data, lines, version and delivery amount are as `plan` was worked out from. */
export const taxPlanCurrent = (plan: TaxPlan, cart: CartDocument | undefined, shipping: number) =>
  plan.taxMode === 'none' ||
  (cart !== undefined &&
    cart.tax === plan.taxDoc &&
    cart.lines === plan.linesDoc &&
    cart.delivery === plan.deliveryDoc &&
    (plan.taxVersion === null || cart.version === plan.taxVersion) &&
    shipping === plan.plannedShipping);

export const NO_DISCOUNTS: DiscountPlan = {
  snapshot: '[]',
  expectVersion: null,
  held: '[]',
  applied: '[]',
  discounts: '[]',
  allocations: '{}',
  discountTotal: 0,
};

/** What a checkout is placed with: its discounts and its tax. */
export type CheckoutPlan = DiscountPlan & TaxPlan;

/** The discounts and the tax of a cart as read at `now`. */
export const checkoutPlanOf = (cart: CartDocument, now: number, setting: TaxSetting): CheckoutPlan => ({
  ...planOf(cart, now),
  ...taxPlanOf(cart, now, setting),
});

export function planOf(cart: CartDocument, now: number): DiscountPlan {
  const worked = documentDiscounts(cart, now);
  if (worked === undefined) return NO_DISCOUNTS;
  return {
    snapshot: snapshotOf(codesOf(cart)),
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

/**
 * The first attempt's plan, from the cart as this process last read it (if
 * it did): the step checks the cart, its codes and their definitions are
 * still as read. Not when a code's judgement rests on its redemptions, which
 * the step does not compare (other checkouts move them): then no guess.
 */
export function guessed(seen: CartDocument | undefined, m: { caller: Caller; now: number }): DiscountPlan {
  // A cart bound to another customer does not exist for this caller: nothing is worked out for them.
  if (seen === undefined || stateOf(seen, m.caller).cart === undefined) return NO_DISCOUNTS;
  const worked = documentDiscounts(seen, m.now);
  if (worked === undefined || worked.view.some((code) => code.reason === 'exhausted')) return NO_DISCOUNTS;
  return planOf(seen, m.now);
}

/** A checkout's first plan: guessed's discounts, and the tax worked out with them from the same read (if any). */
export function guessedCheckout(
  seen: CartDocument | undefined,
  m: { caller: Caller; now: number; tax: TaxSetting },
): CheckoutPlan {
  const discounts = guessed(seen, m);
  const worked = seen !== undefined && discounts.snapshot === snapshotOf(codesOf(seen));
  return {
    ...discounts,
    ...(worked && stateOf(seen, m.caller).cart !== undefined ? taxPlanOf(seen, m.now, m.tax) : unknownTax(m.tax)),
  };
}

/** sql-rules.ts `discountsCurrent` on a cart read back: it and its codes are as `plan` was worked out from. */
export const planCurrent = (plan: DiscountPlan, cart: CartDocument | undefined) =>
  snapshotOf(codesOf(cart)) === plan.snapshot && (plan.snapshot === '[]' || cart?.version === plan.expectVersion);
