/**
 * Every cart rule is written once, against this small algebra of numbers
 * and truths. Two interpretations exist: `values` (model.ts) evaluates a rule
 * on a cart held in memory, and the data layer renders the same rule as SQL,
 * the guard of the one atomic statement that makes a change. A change the
 * guard refused is explained by evaluating the same rules on the state read
 * back in that step, so the reason always comes from the rule that decided.
 *
 * `N` is a number term (nullable: `isNull`), `B` a truth term, `Term` what
 * may stand in for a request's value (changes.ts NewLine): none in memory.
 */
export interface Algebra<N, B, Term = never> {
  /** A value of this request (a bound parameter in SQL), or what stands in for it. */
  num(value: number | Term): N;
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
  /** `then` where `cond` holds, else `otherwise` (unknown does not hold). */
  pick(cond: B, then: N, otherwise: N): N;
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
  /**
   * With INVENTORY=reserve (README, Stock), the product a change adds or
   * whose quantity it sets: it has a stock record (`tracked`; false in any
   * other mode), the units of it across the cart's lines (`units`), and
   * what the cart may hold of it (`room`: on hand, less what other carts
   * hold in live reservations); and whether the cart's own reservation has
   * lapsed while it holds more of some tracked product than other carts
   * leave (`lapsedShort`: no change could renew it as it is).
   */
  stock: { tracked: B; units: N; room: N; lapsedShort: B };
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
  /**
   * The most that the lines of one product (with the same metadata) hold
   * together once a reprice gives them one price, and so makes them one line
   * (0 with nothing to reprice).
   */
  repricedQuantity: N;
  /** Lines whose price a caller nobody trusts set (classic lines while that surface is open); 0 otherwise. */
  untrusted: N;
  discountsCurrent: B;
  discountsHeld: B;
  /** What the order's discounts take (worked out from the cart as read; checked current by `discountsCurrent`). */
  discountTotal: N;
  /** The total the buyer was shown (API.md §10 `expected_total`); null when the checkout names none. */
  expectedTotal: N;
  /** Delivery is needed (API.md §10): a shipping rate is active and the cart holds a shippable line. */
  deliveryNeeded: B;
  /** The cart has a delivery selected. */
  selected: B;
  /** The selected rate (`exists` false with none selected). */
  rate: RateFacts<N, B>;
  /** The cart, its tax rates and its delivery's amount are as the order's tax was worked out from (API.md §11). */
  taxCurrent: B;
  /** `tax_status` is `pending`: no address to tax by, or no tax set by a tax service. */
  taxPending: B;
  /** `tax_status` is `stale`: the tax a tax service set is of an earlier version. */
  taxStale: B;
  /** The tax the total adds: the tax total where prices exclude tax, else 0. */
  taxAdded: N;
  /**
   * The tracked products (README, Stock, `INVENTORY=track`) whose units across
   * the cart's lines are more than are on hand; 0 without inventory.
   */
  stockShort: N;
}

/**
 * What the rules know of a shipping rate (API.md §10) for one cart: amounts
 * in the cart's currency, null where the rate has none. For a rate that
 * does not exist, every fact but `exists` and `addressed` is null.
 */
export interface RateFacts<N, B> {
  exists: B;
  active: B;
  /** The cart has a shipping address. */
  addressed: B;
  /** The rate's countries hold the shipping address's country (or `*`). */
  covers: B;
  price: N;
  freeOver: N;
  minSubtotal: N;
  maxSubtotal: N;
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
