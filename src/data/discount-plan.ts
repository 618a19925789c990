import type { Caller } from '../cart/caller.js';
import { stateOf } from './cart-document.js';
import { type CartDocument, codesOf, snapshotOf } from './cart-json.js';
import { documentDiscounts } from './cart-view.js';

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

export const NO_DISCOUNTS: DiscountPlan = {
  snapshot: '[]',
  expectVersion: null,
  held: '[]',
  applied: '[]',
  discounts: '[]',
  allocations: '{}',
  discountTotal: 0,
};

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

/** sql-rules.ts `discountsCurrent` on a cart read back: it and its codes are as `plan` was worked out from. */
export const planCurrent = (plan: DiscountPlan, cart: CartDocument | undefined) =>
  snapshotOf(codesOf(cart)) === plan.snapshot && (plan.snapshot === '[]' || cart?.version === plan.expectVersion);
