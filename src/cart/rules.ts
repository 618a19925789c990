import type { Algebra, CheckoutFacts, CodeFacts, Facts, RateFacts } from './algebra.js';
import type { LineChange, Preconditions } from './changes.js';
import { LIMITS, MAX_AMOUNT } from './limits.js';
import type {
  AddRefusal,
  AttachRefusal,
  CartRefusal,
  Check,
  CheckoutRefusal,
  ClearRefusal,
  CodeRefusal,
  DeleteRefusal,
  DeliveryRefusal,
  DetachRefusal,
  RemoveRefusal,
  UpdateRefusal,
} from './refusals.js';

/*
 * The checks: every cart rule, written once against the algebra of
 * algebra.ts, each naming the refusal (refusals.ts) it answers with.
 */

/** A cart has expired once its expiry time is reached; the default cart (null) never does. */
export const expired = <N, B>(x: Algebra<N, B>, expiresAt: N, now: N): B =>
  x.and(x.not(x.isNull(expiresAt)), x.le(expiresAt, now));

const DAY_MS = 86_400_000;

/** A cart expires `ttlDays` after its last change. */
export const expiryAfter = (now: number, ttlDays: number) => now + ttlDays * DAY_MS;

/**
 * The cart exists, is live and open, and the request's preconditions hold. A
 * closed cart refuses every change whatever its If-Match (API.md §5).
 */
export function cartChecks<N, B>(x: Algebra<N, B>, f: Facts<N, B>, when: Preconditions, now: N) {
  const checks: Check<B, CartRefusal>[] = [
    { refusal: 'cart-not-found', holds: x.and(f.exists, x.not(expired(x, f.expiresAt, now))) },
    { refusal: 'cart-closed', holds: f.open },
  ];
  if (Array.isArray(when.ifMatch))
    checks.push({ refusal: 'precondition-failed', holds: x.oneOf(f.version, when.ifMatch) });
  if (when.ifNoneMatch === 'any') checks.push({ refusal: 'precondition-failed', holds: x.bool(false) });
  else if (when.ifNoneMatch !== undefined)
    checks.push({ refusal: 'precondition-failed', holds: x.not(x.oneOf(f.version, when.ifNoneMatch)) });
  return checks;
}

/** A line of a product holds 1 … quantityMax; a classic line may also hold 0, as the tutorial allowed. */
export const quantityChecks = <N, B>(
  x: Algebra<N, B>,
  keyed: B,
  quantity: N,
): Check<B, 'quantity-over-limit' | 'quantity-under-limit'>[] => [
  { refusal: 'quantity-over-limit', holds: x.le(quantity, x.lit(LIMITS.quantityMax)) },
  { refusal: 'quantity-under-limit', holds: x.or(x.not(keyed), x.ge(quantity, x.lit(1))) },
];

/** A cart's subtotal stays within the cap (2^53 − 1), so every total is exact. */
export const subtotalCheck = <N, B>(x: Algebra<N, B>, subtotal: N): Check<B, 'subtotal-over-limit'> => ({
  refusal: 'subtotal-over-limit',
  holds: x.le(subtotal, x.lit(MAX_AMOUNT)),
});

/** A cart of `lineCount` lines has room for one more. */
export const roomForLine = <N, B>(x: Algebra<N, B>, lineCount: N): Check<B, 'cart-full'> => ({
  refusal: 'cart-full',
  holds: x.lt(lineCount, x.lit(LIMITS.linesPerCart)),
});

/** What a change to the lines must respect, given the cart's facts. */
export function lineChecks<N, B, T = never>(x: Algebra<N, B, T>, f: Facts<N, B>, change: LineChange<T>): Check<B>[] {
  switch (change.kind) {
    case 'add': {
      const { line } = change;
      const quantity = x.add(f.target.quantity, x.num(line.quantity));
      const checks: Check<B, AddRefusal>[] = [
        { refusal: 'product-unavailable', holds: f.product.available },
        { refusal: 'price-unavailable', holds: f.product.priced },
        ...quantityChecks(x, x.bool(line.productId !== null), quantity),
        // A merge adds no line, so it still works in a full cart.
        { refusal: 'cart-full', holds: x.or(f.target.exists, roomForLine(x, f.lineCount).holds) },
        subtotalCheck(x, x.add(f.subtotal, x.mul(x.num(line.unitPrice), x.num(line.quantity)))),
        // With INVENTORY=reserve the units added are reserved: they must fit what other carts do not hold.
        { refusal: 'insufficient-stock', holds: reserves(x, f, x.add(f.stock.units, x.num(line.quantity))) },
      ];
      return checks;
    }
    case 'update': {
      const { set } = change;
      const quantity = set.quantity === undefined ? f.target.quantity : x.num(set.quantity);
      const unitPrice = set.unitPrice === undefined ? f.target.unitPrice : x.num(set.unitPrice);
      const before = x.mul(f.target.unitPrice, f.target.quantity);
      const checks: Check<B, UpdateRefusal>[] = [
        { refusal: 'line-not-found', holds: f.target.exists },
        ...quantityChecks(x, f.target.keyed, quantity),
        subtotalCheck(x, x.add(x.sub(f.subtotal, before), x.mul(unitPrice, quantity))),
        { refusal: 'line-clash', holds: x.not(f.clash) },
      ];
      // With INVENTORY=reserve a quantity raised reserves the units it adds; one lowered gives units back.
      if (set.quantity !== undefined)
        checks.push({
          refusal: 'insufficient-stock',
          holds: x.or(
            x.le(quantity, f.target.quantity),
            reserves(x, f, x.add(x.sub(f.stock.units, f.target.quantity), quantity)),
          ),
        });
      return checks;
    }
    case 'remove':
      return [{ refusal: 'line-not-found', holds: f.target.exists } satisfies Check<B, RemoveRefusal>];
    case 'clear':
      return [{ refusal: 'unchanged', holds: x.gt(f.lineCount, x.lit(0)) } satisfies Check<B, ClearRefusal>];
  }
}

/**
 * With INVENTORY=reserve (README, Stock), a cart may come to hold `units` of
 * the product a change touches: it is untracked, or they fit its room and
 * the change can renew the cart's reservations (they are live, or all else
 * it holds fits too), so the units are reserved once made.
 */
export const reserves = <N, B, T>(x: Algebra<N, B, T>, f: Facts<N, B>, units: N): B =>
  x.or(x.not(f.stock.tracked), x.and(x.le(units, f.stock.room), x.not(f.stock.lapsedShort)));

/** Deleting a cart: a cart that never expires (the default cart) is permanent. */
export const deleteChecks = <N, B>(
  x: Algebra<N, B>,
  f: Facts<N, B>,
  when: Preconditions,
  now: N,
): Check<B, DeleteRefusal>[] => [
  ...cartChecks(x, f, when, now),
  { refusal: 'cart-permanent', holds: x.not(x.isNull(f.expiresAt)) },
];

/**
 * Checkout (API.md §5): an open, live cart with at least one line, no line
 * priced by a caller nobody trusts (API.md §4), and catalog lines that all
 * still match the catalog.
 */
export const checkoutChecks = <N, B>(
  x: Algebra<N, B>,
  f: CheckoutFacts<N, B>,
  when: Preconditions,
  now: N,
): Check<B, CheckoutRefusal>[] => [
  ...cartChecks(x, f, when, now),
  { refusal: 'cart-empty', holds: x.gt(f.lineCount, x.lit(0)) },
  { refusal: 'prices-untrusted', holds: x.le(f.untrusted, x.lit(0)) },
  { refusal: 'cart-changed', holds: x.and(f.discountsCurrent, f.taxCurrent) },
  { refusal: 'discount-unavailable', holds: f.discountsHeld },
  // A store that ships (an active rate) needs a delivery that applies (to an address) for a cart holding a
  // shippable line: none selected is `delivery-required`, one that does not apply `delivery-not-applicable`.
  { refusal: 'delivery-required', holds: x.or(x.not(f.deliveryNeeded), f.selected) },
  {
    refusal: 'delivery-not-applicable',
    holds: x.or(x.not(f.deliveryNeeded), delivers(x, f.rate, merchandiseOf(x, f))),
  },
  // With tax (API.md §11), the tax must be ready: an address to tax by, or a tax set for this version.
  { refusal: 'tax-pending', holds: x.not(f.taxPending) },
  { refusal: 'tax-stale', holds: x.not(f.taxStale) },
  // Tax added may take the total past what stays exact (2^53 − 1): no such order is placed.
  { refusal: 'tax-over-limit', holds: x.le(orderTotal(x, f), x.lit(MAX_AMOUNT)) },
  { refusal: 'total-changed', holds: totalAsExpected(x, f) },
  // With INVENTORY=track (README, Stock) every tracked product's units in the cart must be on hand.
  { refusal: 'insufficient-stock', holds: x.le(f.stockShort, x.lit(0)) },
  { refusal: 'prices-changed', holds: x.le(f.stale, x.lit(0)) },
];

/** What the buyer pays is what they were shown (API.md §10): the order's total is `expectedTotal`, if named. */
export function totalAsExpected<N, B>(x: Algebra<N, B>, f: CheckoutFacts<N, B>): B {
  const total = orderTotal(x, f);
  return x.or(x.isNull(f.expectedTotal), x.and(x.le(total, f.expectedTotal), x.ge(total, f.expectedTotal)));
}

/** What the order comes to: the lines after discounts, the delivery, and the tax where prices exclude it (API.md §11). */
export const orderTotal = <N, B>(x: Algebra<N, B>, f: CheckoutFacts<N, B>) =>
  x.add(x.add(merchandiseOf(x, f), shippingTotal(x, f)), f.taxAdded);

/** What the lines come to after discounts: the total delivery bands and `free_over` judge (API.md §10). */
export const merchandiseOf = <N, B>(x: Algebra<N, B>, f: Pick<CheckoutFacts<N, B>, 'subtotal' | 'discountTotal'>) =>
  x.sub(f.subtotal, f.discountTotal);

/** What the order charges for delivery: the selected rate's amount where it delivers the cart, else 0. */
export const shippingTotal = <N, B>(
  x: Algebra<N, B>,
  f: Pick<CheckoutFacts<N, B>, 'subtotal' | 'discountTotal' | 'rate'>,
) => {
  const merchandise = merchandiseOf(x, f);
  return x.pick(delivers(x, f.rate, merchandise), deliveryAmount(x, f.rate, merchandise), x.lit(0));
};

/**
 * A rate delivers a cart whose merchandise total (subtotal − discount_total)
 * is `merchandise` while every check holds: the rate exists and is active,
 * the cart has a shipping address in one of the rate's countries, the rate
 * has a price in the cart's currency, the total lies in the rate's band
 * (bounds inclusive, an unset bound ignored), and the total with delivery
 * stays within the cap, so every total is exact.
 */
export const deliveryChecks = <N, B>(
  x: Algebra<N, B>,
  r: RateFacts<N, B>,
  merchandise: N,
): Check<B, DeliveryRefusal>[] => [
  { refusal: 'delivery-unknown', holds: r.exists },
  { refusal: 'delivery-inactive', holds: r.active },
  { refusal: 'delivery-no-address', holds: r.addressed },
  { refusal: 'delivery-country', holds: r.covers },
  { refusal: 'delivery-currency', holds: x.not(x.isNull(r.price)) },
  { refusal: 'delivery-minimum', holds: x.or(x.isNull(r.minSubtotal), x.ge(merchandise, r.minSubtotal)) },
  { refusal: 'delivery-maximum', holds: x.or(x.isNull(r.maxSubtotal), x.le(merchandise, r.maxSubtotal)) },
  {
    refusal: 'delivery-over-limit',
    holds: x.le(x.add(merchandise, deliveryAmount(x, r, merchandise)), x.lit(MAX_AMOUNT)),
  },
];

/** What the rate charges: nothing once the merchandise total reaches `free_over` (in the cart's currency), else its price. */
export const deliveryAmount = <N, B>(x: Algebra<N, B>, r: RateFacts<N, B>, merchandise: N): N =>
  x.pick(x.and(x.not(x.isNull(r.freeOver)), x.ge(merchandise, r.freeOver)), x.lit(0), r.price);

/** Whether a rate delivers the cart: every check holds. */
export const delivers = <N, B>(x: Algebra<N, B>, r: RateFacts<N, B>, merchandise: N): B =>
  x.and(...deliveryChecks(x, r, merchandise).map((check) => check.holds));

/**
 * Repricing a cart's stale lines (API.md §5) keeps every limit: the lines a
 * reprice makes one (one product, one metadata, one price) hold at most a
 * line's quantity together, and the subtotal stays exact. A reprice that
 * would break either is not made, and the buyer lowers a quantity first.
 */
export const repriceChecks = <N, B>(x: Algebra<N, B>, f: CheckoutFacts<N, B>) => [
  quantityChecks(x, x.bool(true), f.repricedQuantity)[0] as Check<B, 'quantity-over-limit'>,
  subtotalCheck(x, f.repricedSubtotal),
];

/**
 * A code can be redeemed now: it exists and is active, its window is open
 * (`starts_at` ≤ now < `ends_at`), it has redemptions left, and it has an
 * amount in the cart's currency if it is a fixed one.
 */
export const codeChecks = <N, B>(x: Algebra<N, B>, c: CodeFacts<N, B>, now: N): Check<B, CodeRefusal>[] => [
  { refusal: 'code-unknown', holds: c.exists },
  { refusal: 'code-inactive', holds: c.active },
  { refusal: 'code-not-started', holds: x.or(x.isNull(c.startsAt), x.le(c.startsAt, now)) },
  { refusal: 'code-ended', holds: x.or(x.isNull(c.endsAt), x.gt(c.endsAt, now)) },
  { refusal: 'code-exhausted', holds: x.or(x.isNull(c.maxRedemptions), x.lt(c.redemptions, c.maxRedemptions)) },
  { refusal: 'code-currency', holds: c.priced },
];

/**
 * An attached code applies while it could be redeemed and the cart's
 * subtotal reaches its minimum in the cart's currency (`minimum` null: none).
 */
export const applicableChecks = <N, B>(
  x: Algebra<N, B>,
  c: CodeFacts<N, B>,
  subtotal: N,
  minimum: N,
  now: N,
): Check<B, CodeRefusal | 'code-minimum'>[] => [
  ...codeChecks(x, c, now),
  { refusal: 'code-minimum', holds: x.or(x.isNull(minimum), x.ge(subtotal, minimum)) },
];

/**
 * Attaching a code to a cart: the cart's rules, a code not yet attached (no
 * change then), room for it (API.md §7: five codes), and a code that could be
 * redeemed now. A code whose minimum is not met yet attaches.
 */
export const attachChecks = <N, B>(
  x: Algebra<N, B>,
  f: Facts<N, B>,
  codes: { count: N; attached: B },
  c: CodeFacts<N, B>,
  when: Preconditions,
  now: N,
): Check<B, AttachRefusal>[] => [
  ...cartChecks(x, f, when, now),
  { refusal: 'code-attached', holds: x.not(codes.attached) },
  { refusal: 'codes-full', holds: x.lt(codes.count, x.lit(LIMITS.codesPerCart)) },
  ...codeChecks(x, c, now),
];

/** Removing a code from a cart: the cart's rules, and the code is attached. */
export const detachChecks = <N, B>(
  x: Algebra<N, B>,
  f: Facts<N, B>,
  attached: B,
  when: Preconditions,
  now: N,
): Check<B, DetachRefusal>[] => [...cartChecks(x, f, when, now), { refusal: 'code-not-attached', holds: attached }];

/** Every check a line change must pass, in the order their refusals are reported. */
export const changeChecks = <N, B, T = never>(
  x: Algebra<N, B, T>,
  f: Facts<N, B>,
  change: LineChange<T>,
  when: Preconditions,
  now: N,
) => [...cartChecks(x, f, when, now), ...lineChecks(x, f, change)];
