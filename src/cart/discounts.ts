import type { CodeFacts } from './algebra.js';
import { firstFailing, holds, type Truth, type Value, values } from './model.js';
import { applicableChecks } from './rules.js';

/**
 * The arithmetic of discount codes (API.md §7), pure and exact: codes apply
 * in the order they were attached, each to what earlier codes left of the
 * lines; `fixed` takes min(amount_off, what is left), `percentage` takes
 * floor(what is left × bp / 10,000); each code's amount is split over the
 * lines in proportion to what is left of each line by the largest-remainder
 * method, ties to the lower line id. Integers throughout (bigint inside, so
 * no product of a total and 10,000 loses a unit).
 */

/** A code as the arithmetic needs it; `amountOff` is in the cart's currency. */
export type DiscountCode =
  | { code: string; kind: 'percentage'; percentOffBp: number; applicable: boolean }
  | { code: string; kind: 'fixed'; amountOff: number; applicable: boolean };

/** A line by id, with its total (unit price × quantity) in minor units. */
export interface PricedLine {
  id: number;
  total: number;
}

export interface Allocation {
  /** Each code in attachment order, with the amount it took (0 when it does not apply). */
  codes: Array<{ code: string; amount: number }>;
  /** Each line's share of each code that took something from it, in code order. */
  lines: Map<number, Array<{ code: string; amount: number }>>;
  subtotal: number;
  discountTotal: number;
  total: number;
}

/**
 * Splits `amount` over `left` (what is left of each line, in line order) in
 * proportion, by largest remainder, ties to the earlier (lower id) line.
 * Every share is at most what was left of its line.
 */
export function splitByLargestRemainder(amount: bigint, left: bigint[]): bigint[] {
  const whole = left.reduce((sum, value) => sum + value, 0n);
  if (amount === 0n || whole === 0n) return left.map(() => 0n);
  const shares = left.map((value) => (amount * value) / whole);
  const remainders = left.map((value, index) => ({ index, remainder: (amount * value) % whole }));
  let missing = amount - shares.reduce((sum, share) => sum + share, 0n);
  // Largest remainder first; equal remainders go to the lower index (the lower line id).
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index, remainder } of remainders) {
    if (missing === 0n || remainder === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    missing -= 1n;
  }
  return shares;
}

/**
 * The discounts of a cart: what each code takes and how it is spread over
 * the lines, and the totals. `lines` in any order: they are taken by id.
 *
 * @example
 * allocate([{ id: 1, total: 1000 }, { id: 2, total: 500 }], [{ code: 'TEN', kind: 'percentage', percentOffBp: 1000, applicable: true }]);
 * // codes [{ code: 'TEN', amount: 150 }], lines 1 → 100, 2 → 50, total 1350
 */
export function allocate(lines: PricedLine[], codes: DiscountCode[]): Allocation {
  const ordered = [...lines].sort((a, b) => a.id - b.id);
  const left = ordered.map((line) => BigInt(line.total));
  const perLine = new Map<number, Array<{ code: string; amount: number }>>(ordered.map((line) => [line.id, []]));
  const taken: Array<{ code: string; amount: number }> = [];
  for (const code of codes) {
    const rest = left.reduce((sum, value) => sum + value, 0n);
    let amount = 0n;
    if (code.applicable) {
      if (code.kind === 'fixed') amount = BigInt(code.amountOff) < rest ? BigInt(code.amountOff) : rest;
      else amount = (rest * BigInt(code.percentOffBp)) / 10_000n;
    }
    const shares = splitByLargestRemainder(amount, left);
    shares.forEach((share, index) => {
      if (share === 0n) return;
      left[index] = (left[index] ?? 0n) - share;
      perLine.get(ordered[index]?.id ?? 0)?.push({ code: code.code, amount: Number(share) });
    });
    taken.push({ code: code.code, amount: Number(amount) });
  }
  const subtotal = ordered.reduce((sum, line) => sum + line.total, 0);
  const discountTotal = taken.reduce((sum, code) => sum + code.amount, 0);
  return { codes: taken, lines: perLine, subtotal, discountTotal, total: subtotal - discountTotal };
}

/** A code attached to a cart, as stored (amounts in the cart's currency; null where the discount has none, or is gone). */
export interface CodeRecord {
  code: string;
  exists: boolean;
  kind: 'percentage' | 'fixed' | null;
  percentOffBp: number | null;
  amountOff: number | null;
  minSubtotal: number | null;
  startsAt: number | null;
  endsAt: number | null;
  maxRedemptions: number | null;
  redemptions: number | null;
  active: boolean | null;
  /** The discount has a minimum subtotal in some currency (`minSubtotal` is the cart's, null when it has none). */
  minimumSet: boolean;
}

/** What a code's reason says (API.md §7 `reason`): the rule it fails, without the `code-` prefix. */
export type CodeReason = 'unknown' | 'inactive' | 'not-started' | 'ended' | 'exhausted' | 'currency' | 'minimum';

/** A code's facts for the rules, in memory. */
export const codeFactsOf = (code: CodeRecord): CodeFacts<Value, Truth> => ({
  exists: code.exists,
  active: code.active,
  startsAt: code.startsAt === null ? null : BigInt(code.startsAt),
  endsAt: code.endsAt === null ? null : BigInt(code.endsAt),
  maxRedemptions: code.maxRedemptions === null ? null : BigInt(code.maxRedemptions),
  redemptions: code.redemptions === null ? null : BigInt(code.redemptions),
  priced: code.exists
    ? (code.kind === 'percentage' || code.amountOff !== null) && (!code.minimumSet || code.minSubtotal !== null)
    : null,
});

export interface CartDiscounts extends Allocation {
  /** Each attached code in order: whether it applies (else why not) and what it takes. */
  view: Array<{ code: string; applicable: boolean; reason?: CodeReason; amount: number }>;
  /** The codes that apply, in order: the ones an order redeems. */
  applied: string[];
  /** The codes that would apply but are used up: they refuse a checkout (API.md §7). */
  usedUp: string[];
}

/**
 * The discounts of a cart at `now` (API.md §7): which attached codes apply
 * (the rules of rules.ts, on the cart's subtotal), and what each takes from
 * which line.
 */
export function discountsOf(lines: PricedLine[], codes: CodeRecord[], now: number): CartDiscounts {
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.total), 0n);
  const judged = codes.map((code) => {
    const minimum = code.minSubtotal === null ? null : BigInt(code.minSubtotal);
    const checks = applicableChecks(values, codeFactsOf(code), subtotal, minimum, BigInt(now));
    const failing = firstFailing(checks, holds);
    const onlyUsedUp =
      failing === 'code-exhausted' && checks.every((c) => c.refusal === 'code-exhausted' || holds(c.holds));
    return {
      code,
      reason: failing === undefined ? undefined : (failing.slice('code-'.length) as CodeReason),
      onlyUsedUp,
    };
  });
  const allocation = allocate(
    lines,
    judged.map(({ code, reason }): DiscountCode => {
      const applicable = reason === undefined;
      return code.kind === 'fixed'
        ? { code: code.code, kind: 'fixed', amountOff: code.amountOff ?? 0, applicable }
        : { code: code.code, kind: 'percentage', percentOffBp: code.percentOffBp ?? 0, applicable };
    }),
  );
  const view = judged.map(({ code, reason }, index) => {
    const amount = allocation.codes[index]?.amount ?? 0;
    return reason === undefined
      ? { code: code.code, applicable: true, amount }
      : { code: code.code, applicable: false, reason, amount };
  });
  return {
    ...allocation,
    view,
    applied: judged.filter((j) => j.reason === undefined).map((j) => j.code.code),
    usedUp: judged.filter((j) => j.onlyUsedUp).map((j) => j.code.code),
  };
}
