import type { RateFacts } from './algebra.js';
import { firstFailing, holds, type Truth, type Value, values } from './model.js';
import type { DeliveryRefusal } from './refusals.js';
import { deliveryAmount, deliveryChecks } from './rules.js';

/*
 * Delivery as a cart shows it (API.md §10): its options and its selection,
 * worked out in memory by the rules of rules.ts (deliveryChecks,
 * deliveryAmount), which the guard of a selection and the checkout's step
 * render as SQL.
 */

/** Why a selection does not apply (API.md §10 `reason`): the check it fails, without the `delivery-` prefix. */
export type DeliveryReason = DeliveryRefusal extends `delivery-${infer R}` ? R : never;

/** A shipping rate as a cart's view reads it: its amounts in the cart's currency (null: none). */
export interface RateRecord {
  id: string;
  name: string;
  active: boolean;
  /** The rate covers the cart's shipping address's country (false without an address). */
  covers: boolean;
  price: number | null;
  freeOver: number | null;
  minSubtotal: number | null;
  maxSubtotal: number | null;
}

/** The delivery a cart shows (API.md §10). */
export interface CartDelivery {
  options: Array<{ id: string; name: string; amount: number }>;
  selected: { option_id: string; name: string; amount: number; applicable: boolean; reason?: DeliveryReason } | null;
  /** The selection's amount while it applies, else 0. */
  shippingTotal: number;
}

const big = (n: number | null): Value => (n === null ? null : BigInt(n));

/** A rate's facts for the rules, in memory (undefined: no such rate). */
export const rateFactsOf = (rate: RateRecord | undefined, addressed: boolean): RateFacts<Value, Truth> => ({
  exists: rate !== undefined,
  active: rate?.active ?? null,
  addressed,
  covers: rate === undefined ? null : addressed && rate.covers,
  price: big(rate?.price ?? null),
  freeOver: big(rate?.freeOver ?? null),
  minSubtotal: big(rate?.minSubtotal ?? null),
  maxSubtotal: big(rate?.maxSubtotal ?? null),
});

/**
 * A cart's delivery at a merchandise total: the options (the rates that
 * deliver it, by amount then id), and the selection (`selectedId`, named
 * `selectedName` when it was made) judged by the same checks.
 */
export function deliveryOf(
  rates: RateRecord[],
  addressed: boolean,
  merchandise: number,
  selection: { id: string; name: string } | null,
): CartDelivery {
  const total = BigInt(merchandise);
  const judge = (rate: RateRecord | undefined) => {
    const facts = rateFactsOf(rate, addressed);
    const failing = firstFailing(deliveryChecks(values, facts, total), holds);
    return { failing, amount: failing === undefined ? Number(deliveryAmount(values, facts, total)) : 0 };
  };
  const options = rates
    .flatMap((rate) => {
      const { failing, amount } = judge(rate);
      return failing === undefined ? [{ id: rate.id, name: rate.name, amount }] : [];
    })
    .sort((a, b) => a.amount - b.amount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (selection === null) return { options, selected: null, shippingTotal: 0 };
  const rate = rates.find((candidate) => candidate.id === selection.id);
  const { failing, amount } = judge(rate);
  const name = rate?.name ?? selection.name;
  const selected =
    failing === undefined
      ? { option_id: selection.id, name, amount, applicable: true }
      : {
          option_id: selection.id,
          name,
          amount: 0,
          applicable: false,
          reason: failing.slice('delivery-'.length) as DeliveryReason,
        };
  return { options, selected, shippingTotal: failing === undefined ? amount : 0 };
}
