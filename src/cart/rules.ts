import { LIMITS, MAX_AMOUNT } from './limits.js';

/**
 * Every cart rule is written once, against this small algebra of numbers
 * and truths. Two interpretations exist: `values` (model.ts) evaluates a rule
 * on a cart held in memory, and the data layer renders the same rule as SQL,
 * the guard of the one atomic statement that makes a change. A change the
 * guard refused is explained by evaluating the same rules on the state read
 * back in that step, so the reason always comes from the rule that decided.
 *
 * `N` is a number term (nullable: `isNull`), `B` a truth term.
 */
export interface Algebra<N, B> {
  /** A value of this request (a bound parameter in SQL). */
  num(value: number): N;
  /** A constant of the rules (written into SQL as it is). */
  lit(value: number): N;
  bool(value: boolean): B;
  add(a: N, b: N): N;
  sub(a: N, b: N): N;
  mul(a: N, b: N): N;
  le(a: N, b: N): B;
  lt(a: N, b: N): B;
  gt(a: N, b: N): B;
  ge(a: N, b: N): B;
  oneOf(a: N, list: readonly number[]): B;
  isNull(a: N): B;
  and(...terms: B[]): B;
  or(...terms: B[]): B;
  not(term: B): B;
}

/** What the rules know of a cart at the moment of a change, before it. */
export interface Facts<N, B> {
  /** The cart exists (expired or not). */
  exists: B;
  /** The cart is open: not checked out (API.md §5). */
  open: B;
  /** Epoch ms; null for a cart that never expires (the default cart). */
  expiresAt: N;
  version: N;
  lineCount: N;
  subtotal: N;
  /**
   * The line a change addresses: for an add, the line with the same merge
   * key (there is none for a line without a product); otherwise the line by
   * id. Its quantity and price are 0 when it does not exist.
   */
  target: { exists: B; quantity: N; unitPrice: N; keyed: B };
  /** An update would give its line the merge key another line already has. */
  clash: B;
  /**
   * For an add priced from the catalog: the product is there and active, and
   * has a price in the cart's currency. Both true for a price the caller set.
   */
  product: { available: B; priced: B };
}

/**
 * What checkout knows besides a cart's facts: how many catalog lines no
 * longer match the catalog, whether the cart and its codes are as the
 * discounts of the order were worked out from, and whether every code the
 * order applies still holds (its redemption limit included).
 */
export interface CheckoutFacts<N, B> extends Facts<N, B> {
  stale: N;
  /** The subtotal with every line the catalog still prices at the catalog's price: what a reprice makes it. */
  repricedSubtotal: N;
  /** Lines whose price a caller nobody trusts set (classic lines while that surface is open); 0 otherwise. */
  untrusted: N;
  discountsCurrent: B;
  discountsHeld: B;
}

/**
 * What the rules know of a discount code (API.md §7) for one cart, at one
 * moment. Times are epoch ms; a null time or limit is none. For a code that
 * does not exist, every fact but `exists` is null.
 */
export interface CodeFacts<N, B> {
  exists: B;
  active: B;
  startsAt: N;
  endsAt: N;
  maxRedemptions: N;
  redemptions: N;
  /** A percentage, or a fixed amount in the cart's currency. */
  priced: B;
}

/** Why a code cannot be attached, or does not apply (API.md §7 `discount-invalid`, `applicable: false`). */
export type CodeRefusal =
  | 'code-unknown'
  | 'code-inactive'
  | 'code-not-started'
  | 'code-ended'
  | 'code-exhausted'
  | 'code-currency';
export type AttachRefusal = CartRefusal | CodeRefusal | 'codes-full' | 'code-attached';
export type DetachRefusal = CartRefusal | 'code-not-attached';

/**
 * A new line. `productId` null is a line of the classic surface: it never
 * merges. `metadata` is canonical JSON (see canonicalMetadata). A line priced
 * from the catalog (`priceSource: 'catalog'`) takes its name and unit price
 * from the product in the same step that adds it; until then they are the
 * data layer's terms for them.
 */
export interface NewLine {
  productId: string | null;
  name: string;
  unitPrice: number;
  quantity: number;
  metadata: string;
  priceSource: PriceSource;
}

/** Where a line's price comes from (API.md §4): the catalog, or a caller trusted to set it. */
export type PriceSource = 'catalog' | 'custom';

export interface LineUpdate {
  quantity?: number | undefined;
  unitPrice?: number | undefined;
  name?: string | undefined;
  metadata?: string | undefined;
}

/** The changes a cart's lines can undergo, from either surface. */
export type LineChange =
  | { kind: 'add'; line: NewLine }
  | { kind: 'update'; lineId: number; set: LineUpdate }
  | { kind: 'remove'; lineId: number }
  | { kind: 'clear' };

/**
 * The lines that merge: the same product, unit price, metadata and price
 * source (a custom price never merges into a catalog line, whose price
 * checkout compares again, nor the reverse). A line with no product (the
 * classic surface's) merges with nothing. The data layer's unique index and
 * its SQL matching are built from this list.
 */
export const MERGE_KEY = ['productId', 'unitPrice', 'metadata', 'priceSource'] as const;

export type MergeKeyed = Pick<NewLine, (typeof MERGE_KEY)[number]>;

export const sameMergeKey = (a: MergeKeyed, b: MergeKeyed) =>
  a.productId !== null && MERGE_KEY.every((column) => a[column] === b[column]);

/**
 * Request preconditions (RFC 9110 §13.1): the versions `If-Match` allows, the
 * versions `If-None-Match` refuses, `'any'` for `*`; undefined when absent.
 */
export interface Preconditions {
  ifMatch?: readonly number[] | 'any' | undefined;
  ifNoneMatch?: readonly number[] | 'any' | undefined;
}

/** Why a change was not made, by the group of rules that refuses it. */
export type CartRefusal = 'cart-not-found' | 'cart-closed' | 'precondition-failed';
export type AddRefusal =
  | 'product-unavailable'
  | 'price-unavailable'
  | 'quantity-over-limit'
  | 'quantity-under-limit'
  | 'cart-full'
  | 'subtotal-over-limit';
export type UpdateRefusal =
  | 'line-not-found'
  | 'quantity-over-limit'
  | 'quantity-under-limit'
  | 'subtotal-over-limit'
  | 'line-clash';
export type RemoveRefusal = 'line-not-found';
/** Not an error: emptying an empty cart has nothing to do. */
export type ClearRefusal = 'unchanged';
export type DeleteRefusal = CartRefusal | 'cart-permanent';
/** `cart-changed`: the cart or its codes moved since the order's discounts were worked out (checkout works them out again). */
export type CheckoutRefusal =
  | CartRefusal
  | 'cart-empty'
  | 'prices-untrusted'
  | 'cart-changed'
  | 'discount-unavailable'
  | 'prices-changed';

/** The refusals a change of this kind can meet. */
export type RefusalOf<C extends LineChange> =
  | CartRefusal
  | (C extends { kind: 'add' }
      ? AddRefusal
      : C extends { kind: 'update' }
        ? UpdateRefusal
        : C extends { kind: 'remove' }
          ? RemoveRefusal
          : ClearRefusal);

export type Refusal =
  | RefusalOf<LineChange>
  | DeleteRefusal
  | CheckoutRefusal
  | AttachRefusal
  | DetachRefusal
  | 'code-minimum';

export interface Check<B, R extends Refusal = Refusal> {
  refusal: R;
  holds: B;
}

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
const quantityChecks = <N, B>(
  x: Algebra<N, B>,
  keyed: B,
  quantity: N,
): Check<B, 'quantity-over-limit' | 'quantity-under-limit'>[] => [
  { refusal: 'quantity-over-limit', holds: x.le(quantity, x.lit(LIMITS.quantityMax)) },
  { refusal: 'quantity-under-limit', holds: x.or(x.not(keyed), x.ge(quantity, x.lit(1))) },
];

const subtotalCheck = <N, B>(x: Algebra<N, B>, subtotal: N): Check<B, 'subtotal-over-limit'> => ({
  refusal: 'subtotal-over-limit',
  holds: x.le(subtotal, x.lit(MAX_AMOUNT)),
});

/** What a change to the lines must respect, given the cart's facts. */
export function lineChecks<N, B>(x: Algebra<N, B>, f: Facts<N, B>, change: LineChange): Check<B>[] {
  switch (change.kind) {
    case 'add': {
      const { line } = change;
      const quantity = x.add(f.target.quantity, x.num(line.quantity));
      const checks: Check<B, AddRefusal>[] = [
        { refusal: 'product-unavailable', holds: f.product.available },
        { refusal: 'price-unavailable', holds: f.product.priced },
        ...quantityChecks(x, x.bool(line.productId !== null), quantity),
        // A merge adds no line, so it still works in a full cart.
        { refusal: 'cart-full', holds: x.or(f.target.exists, x.lt(f.lineCount, x.lit(LIMITS.linesPerCart))) },
        subtotalCheck(x, x.add(f.subtotal, x.mul(x.num(line.unitPrice), x.num(line.quantity)))),
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
      return checks;
    }
    case 'remove':
      return [{ refusal: 'line-not-found', holds: f.target.exists } satisfies Check<B, RemoveRefusal>];
    case 'clear':
      return [{ refusal: 'unchanged', holds: x.gt(f.lineCount, x.lit(0)) } satisfies Check<B, ClearRefusal>];
  }
}

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
  { refusal: 'cart-changed', holds: f.discountsCurrent },
  { refusal: 'discount-unavailable', holds: f.discountsHeld },
  { refusal: 'prices-changed', holds: x.le(f.stale, x.lit(0)) },
];

/**
 * Repricing a cart's stale lines (API.md §5) keeps its subtotal exact: a
 * reprice that would take it past the cap is not made, and the buyer lowers
 * a quantity first.
 */
export const repriceCheck = <N, B>(x: Algebra<N, B>, f: CheckoutFacts<N, B>) => subtotalCheck(x, f.repricedSubtotal);

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
export const changeChecks = <N, B>(
  x: Algebra<N, B>,
  f: Facts<N, B>,
  change: LineChange,
  when: Preconditions,
  now: N,
) => [...cartChecks(x, f, when, now), ...lineChecks(x, f, change)];

/** The input field a refusal is about, for surfaces that name one. */
export const REFUSAL_FIELD: Partial<Record<Refusal, 'quantity'>> = {
  'quantity-over-limit': 'quantity',
  'quantity-under-limit': 'quantity',
  // The quantity asked for (at its price) is what would take the subtotal over.
  'subtotal-over-limit': 'quantity',
};

/** The words for a refusal, from the facts the rules refused on. */
export function explain(
  refusal: Refusal,
  f: Facts<bigint | null, boolean | null> & { repricedSubtotal?: bigint | null },
  change: LineChange,
): string {
  switch (refusal) {
    case 'cart-not-found':
      return 'No cart with that id (it may have expired).';
    case 'cart-closed':
      return 'The cart has been checked out; it takes no more changes.';
    case 'product-unavailable':
      return 'No such product is on sale.';
    case 'price-unavailable':
      return 'The product has no price in the cart’s currency.';
    case 'cart-empty':
      return 'An empty cart cannot be checked out.';
    case 'prices-untrusted':
      return 'The cart holds lines priced through the classic surface, which is open while ADMIN_TOKEN is unset: their prices are not the catalog’s, and they cannot be checked out.';
    case 'prices-changed':
      if ((f.repricedSubtotal ?? 0n) > BigInt(MAX_AMOUNT))
        return `Prices changed since these lines were added, and at the catalog’s prices the cart subtotal would exceed ${MAX_AMOUNT}: nothing was repriced. Lower a quantity and check out again.`;
      return 'Prices changed since these lines were added: each line still on sale now carries the catalog’s price. Check out again with the cart’s current ETag.';
    case 'precondition-failed':
      return `The cart is at ETag "${f.version}"; nothing changed.`;
    case 'line-not-found':
      return 'No line with that id in this cart.';
    case 'quantity-over-limit': {
      if (change.kind === 'add' && f.target.exists) {
        const total = (f.target.quantity ?? 0n) + BigInt(change.line.quantity);
        return `Merged into its line the quantity would be ${total}; at most ${LIMITS.quantityMax}.`;
      }
      return `A line holds at most ${LIMITS.quantityMax}.`;
    }
    case 'quantity-under-limit':
      return 'A line of a product holds at least 1; remove the line instead.';
    case 'cart-full':
      return `The cart already holds ${f.lineCount} lines, the most it may.`;
    case 'subtotal-over-limit':
      return `The cart subtotal would exceed ${MAX_AMOUNT}.`;
    case 'line-clash':
      return 'Another line already has this product, price and metadata.';
    case 'cart-permanent':
      return 'The default cart cannot be deleted; empty it instead.';
    case 'unchanged':
      return 'Nothing to change.';
    case 'cart-changed':
      return 'The cart changed while it was being checked out; try again.';
    case 'discount-unavailable':
      return 'A discount code on the cart has been used up; nothing changed. Remove the code and check out again.';
    case 'code-attached':
      return 'The code is already on the cart.';
    case 'code-not-attached':
      return 'The cart holds no such code.';
    case 'codes-full':
      return `A cart holds at most ${LIMITS.codesPerCart} discount codes.`;
    default:
      return CODE_REASONS[refusal];
  }
}

/** Why a code does not apply, in words (the problem detail of `discount-invalid`, and `reason` on a cart). */
export const CODE_REASONS: Record<CodeRefusal | 'code-minimum', string> = {
  'code-unknown': 'No such discount code.',
  'code-inactive': 'The discount code is not active.',
  'code-not-started': 'The discount code is not valid yet.',
  'code-ended': 'The discount code has ended.',
  'code-exhausted': 'The discount code has been used up.',
  'code-currency': 'The discount code has no amount in the cart’s currency.',
  'code-minimum': 'The cart’s subtotal is under the code’s minimum.',
};
