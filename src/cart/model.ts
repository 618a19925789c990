import type { Algebra, Facts } from './algebra.js';
import { type LineChange, type NewLine, type Preconditions, sameMergeKey } from './changes.js';
import { type AddRefusal, type Check, explain, type Refusal, type RefusalOf } from './refusals.js';
import { changeChecks, expired } from './rules.js';

/** A cart as the rules see it; the stored rows fit it as they are. */
export interface CartRecord {
  version: number;
  expiresAt: number | null;
  /** Absent means open. */
  status?: 'open' | 'checked_out' | undefined;
}

/** The catalog as an add priced from it saw it: the product on sale, and its price in the cart's currency. */
export interface CatalogRead {
  available: boolean;
  priced: boolean;
}

export interface LineRecord extends NewLine {
  id: number;
}

/**
 * With INVENTORY=reserve, the stock of the product a change touches as read
 * in the same step (README, Stock): whether it has a stock record, and what
 * the cart may hold of it (on hand, less what other carts hold in live reservations).
 */
export interface StockRead {
  tracked: boolean;
  room: number;
  /** The cart's reservation has lapsed and it holds more of some tracked product than other carts leave. */
  lapsedShort: boolean;
}

/** A cart and its lines, or no cart at all. */
export interface CartState<L extends LineRecord = LineRecord> {
  cart: CartRecord | undefined;
  lines: L[];
  /** For an add priced from the catalog: what the catalog held in the same step. */
  catalog?: CatalogRead | undefined;
  /** For an add or a quantity set with INVENTORY=reserve: the product's stock in the same step. */
  stock?: StockRead | undefined;
}

export type Value = bigint | null;
/** SQL's three-valued truth: null is unknown, as any comparison with a null is. */
export type Truth = boolean | null;

const arith =
  (op: (a: bigint, b: bigint) => bigint) =>
  (a: Value, b: Value): Value =>
    a === null || b === null ? null : op(a, b);
const compare =
  (op: (a: bigint, b: bigint) => boolean) =>
  (a: Value, b: Value): Truth =>
    a === null || b === null ? null : op(a, b);

/**
 * The rules evaluated on numbers with SQL's semantics: exact 64-bit-style
 * integer arithmetic (bigint) and three-valued logic, so a rule means here
 * exactly what its SQL rendering means in the guard.
 */
export const values: Algebra<Value, Truth> = {
  num: (value) => BigInt(value),
  lit: (value) => BigInt(value),
  bool: (value) => value,
  add: arith((a, b) => a + b),
  sub: arith((a, b) => a - b),
  mul: arith((a, b) => a * b),
  le: compare((a, b) => a <= b),
  lt: compare((a, b) => a < b),
  gt: compare((a, b) => a > b),
  ge: compare((a, b) => a >= b),
  oneOf: (a, list) => (a === null ? null : list.some((item) => BigInt(item) === a)),
  isNull: (a) => a === null,
  and: (...terms) => (terms.includes(false) ? false : terms.includes(null) ? null : true),
  or: (...terms) => (terms.includes(true) ? true : terms.includes(null) ? null : false),
  not: (term) => (term === null ? null : !term),
  pick: (cond, then, otherwise) => (cond === true ? then : otherwise),
};

/** A rule holds only when it is true; unknown (null) does not hold, as in a WHERE clause. */
export const holds = (term: Truth) => term === true;

/** The line a change addresses in memory: the same-key line of an add, else the line by id. */
function targetOf<L extends LineRecord>(lines: L[], change: LineChange): L | undefined {
  if (change.kind === 'add') return lines.find((line) => sameMergeKey(line, change.line));
  if (change.kind === 'update' || change.kind === 'remove') return lines.find((line) => line.id === change.lineId);
  return undefined;
}

/** The facts the rules read, for a cart held in memory. */
export function factsOf(state: CartState, change: LineChange): Facts<Value, Truth> {
  const { cart, lines } = state;
  const target = targetOf(lines, change);
  let subtotal = 0n;
  for (const line of lines) subtotal += BigInt(line.unitPrice) * BigInt(line.quantity);
  let clash = false;
  if (change.kind === 'update' && target) {
    const key = {
      productId: target.productId,
      unitPrice: change.set.unitPrice ?? target.unitPrice,
      metadata: change.set.metadata ?? target.metadata,
      // A price set by hand makes the line custom (data/carts.ts writes it so).
      priceSource: change.set.unitPrice === undefined ? target.priceSource : ('custom' as const),
    };
    clash = lines.some((line) => line.id !== target.id && sameMergeKey(line, key));
  }
  const catalog =
    change.kind === 'add' && change.line.priceSource === 'catalog'
      ? (state.catalog ?? { available: false, priced: false })
      : { available: true, priced: true };
  // The product a change touches: an add's, or the product of the line an update sets the quantity of.
  const productId =
    change.kind === 'add' ? change.line.productId : change.kind === 'update' ? (target?.productId ?? null) : null;
  let units = 0n;
  for (const line of lines) if (productId !== null && line.productId === productId) units += BigInt(line.quantity);
  return {
    exists: cart !== undefined,
    open: cart?.status !== 'checked_out',
    expiresAt: cart?.expiresAt === null || cart === undefined ? null : BigInt(cart.expiresAt),
    version: BigInt(cart?.version ?? 0),
    lineCount: BigInt(lines.length),
    subtotal,
    target: {
      exists: target !== undefined,
      quantity: BigInt(target?.quantity ?? 0),
      unitPrice: BigInt(target?.unitPrice ?? 0),
      keyed: target !== undefined && target.productId !== null,
    },
    clash,
    product: catalog,
    stock: {
      tracked: state.stock?.tracked ?? false,
      units,
      room: BigInt(state.stock?.room ?? 0),
      lapsedShort: state.stock?.lapsedShort ?? false,
    },
  };
}

/** The first check that does not hold, in the order the rules list them. */
export const firstFailing = <B, R extends Refusal>(checks: Check<B, R>[], truth: (term: B) => boolean): R | undefined =>
  checks.find((check) => !truth(check.holds))?.refusal;

/** Whether a change may be made to a cart as it is; the refusal when it may not. */
export function judge<C extends LineChange>(
  state: CartState,
  change: C,
  when: Preconditions,
  now: number,
): RefusalOf<C> | undefined {
  const checks = changeChecks(values, factsOf(state, change), change, when, BigInt(now));
  // The checks of a change of kind C refuse only with RefusalOf<C> (rules.ts types each group).
  return firstFailing(checks, holds) as RefusalOf<C> | undefined;
}

/** Whether a cart is live at `now`, by the same rule every store query applies. */
export const isLive = (cart: CartRecord, now: number) =>
  holds(values.not(expired(values, cart.expiresAt === null ? null : BigInt(cart.expiresAt), BigInt(now))));

/**
 * The lines of a new cart holding `items`, merged exactly as successive adds
 * to an empty cart would merge them; the first refusal otherwise, with the
 * index of the item that caused it.
 */
export function linesFromItems(
  items: NewLine[],
): { ok: true; lines: NewLine[] } | { ok: false; refusal: AddRefusal; message: string; index: number } {
  // The items come priced (a catalog line's price was read before): the catalog's own checks hold.
  const state: CartState = {
    cart: { version: 1, expiresAt: null },
    lines: [],
    catalog: { available: true, priced: true },
  };
  for (const [index, line] of items.entries()) {
    const change = { kind: 'add', line } as const;
    // A cart in memory is live and the items carry no preconditions: only the add's own rules can refuse.
    const refusal = judge(state, change, {}, 0) as AddRefusal | undefined;
    if (refusal !== undefined)
      return { ok: false, refusal, message: explain(refusal, factsOf(state, change), change), index };
    const same = targetOf(state.lines, change);
    if (same) same.quantity += line.quantity;
    else state.lines.push({ ...line, id: index + 1 });
  }
  return { ok: true, lines: state.lines.map(({ id: _id, ...line }) => line) };
}
