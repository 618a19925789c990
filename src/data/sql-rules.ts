import { getTableName, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Algebra, CodeFacts, Facts } from '../cart/algebra.js';
import type { Caller } from '../cart/caller.js';
import { type LineChange, MERGE_KEY } from '../cart/changes.js';
import { codeChecks, expired } from '../cart/rules.js';
import { codesSnapshot } from './cart-json.js';
import { cartItems, carts, discounts, products, stock } from './schema.js';

/** INVENTORY (README, Stock): stock not taken, taken at checkout, or also reserved by adds. */
export type InventoryMode = 'none' | 'track' | 'reserve';

const integer = (value: number) => {
  // Only integers reach SQL text; anything else is a bug upstream, never input.
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
  return sql.raw(String(value));
};

const TRUE = sql.raw('1');
const FALSE = sql.raw('0');

/**
 * The cart rules rendered as SQL (rules.ts): the guard of a change's first
 * statement. Request values are bound parameters (an If-Match list is at most
 * 32 tags, so no header can push a statement past D1's 100); the rules'
 * constants are written as integers.
 */
/** A change whose values may be SQL: a statement's slots, or what the step reads (changes.ts NewLine). */
export type SymbolicChange = LineChange<SQLWrapper>;

export const sqlTerms: Algebra<SQL, SQL, SQLWrapper> = {
  num: (value) => sql`${value}`,
  lit: integer,
  // The constants are folded away below, so a rule that does not apply to a
  // change (a classic line's quantity floor, say) costs the statement nothing.
  bool: (value) => (value ? TRUE : FALSE),
  add: (a, b) => sql`(${a} + ${b})`,
  sub: (a, b) => sql`(${a} - ${b})`,
  mul: (a, b) => sql`(${a} * ${b})`,
  le: (a, b) => sql`(${a} <= ${b})`,
  lt: (a, b) => sql`(${a} < ${b})`,
  gt: (a, b) => sql`(${a} > ${b})`,
  ge: (a, b) => sql`(${a} >= ${b})`,
  oneOf: (a, list) =>
    list.length === 0
      ? FALSE
      : sql`(${a} in (${sql.join(
          list.map((v) => sql`${v}`),
          sql`, `,
        )}))`,
  isNull: (a) => sql`(${a} is null)`,
  and: (...terms) => {
    if (terms.includes(FALSE)) return FALSE;
    const kept = terms.filter((term) => term !== TRUE);
    return kept.length === 0 ? TRUE : kept.length === 1 ? (kept[0] as SQL) : sql`(${sql.join(kept, sql` and `)})`;
  },
  or: (...terms) => {
    if (terms.includes(TRUE)) return TRUE;
    const kept = terms.filter((term) => term !== FALSE);
    return kept.length === 0 ? FALSE : kept.length === 1 ? (kept[0] as SQL) : sql`(${sql.join(kept, sql` or `)})`;
  },
  not: (term) => (term === TRUE ? FALSE : term === FALSE ? TRUE : sql`(not ${term})`),
  pick: (cond, then, otherwise) =>
    cond === TRUE ? then : cond === FALSE ? otherwise : sql`(case when ${cond} then ${then} else ${otherwise} end)`,
};

/**
 * Columns written out with their table (or alias) name: drizzle leaves them
 * bare inside RETURNING, where a bare `id` in a sub-query would name the
 * wrong table's column.
 */
export const qualified = (table: string, column: AnySQLiteColumn) =>
  sql`${sql.identifier(table)}.${sql.identifier(column.name)}`;

/** A column of the cart row a statement is about. */
export const cartColumn = (column: AnySQLiteColumn) => qualified(getTableName(carts), column);

const CART_ID = cartColumn(carts.id);
const CART_CUSTOMER = cartColumn(carts.customerId);
/** A column of the line aliased `l` (the cart's lines, in the sub-queries that read them). */
export const line = (column: AnySQLiteColumn) => qualified('l', column);
const other = (column: AnySQLiteColumn) => qualified('o', column);
const LINES = sql`${cartItems} as ${sql.identifier('l')}`;

const product = (column: AnySQLiteColumn) => qualified('p', column);
const PRODUCT = sql`${products} as ${sql.identifier('p')}`;

/**
 * The catalog as the cart row a statement is about sees it (API.md §4): the
 * name and the price in the cart's currency of the product `productId` while
 * it is on sale, else null. Read in the statement that uses them, so a
 * price change racing an add gives the old price or the new one, never a mix.
 */
export const catalogName = (productId: SQLWrapper | string) =>
  sql`(select ${product(products.name)} from ${PRODUCT} where ${product(products.id)} = ${productId} and ${product(products.active)})`;
export const catalogPrice = (productId: SQLWrapper | string, currency: SQL = cartColumn(carts.currency)) =>
  sql`(select json_extract(${product(products.prices)}, '$.' || ${currency}) from ${PRODUCT}
    where ${product(products.id)} = ${productId} and ${product(products.active)})`;
const onSale = (productId: SQLWrapper | string) =>
  sql`exists (select 1 from ${PRODUCT} where ${product(products.id)} = ${productId} and ${product(products.active)})`;

/**
 * The catalog lines of the cart row a statement is about whose price no
 * longer matches the catalog (changed, or the product gone): checkout's
 * `prices-changed`, as a condition on `l`.
 */
export const staleLine = sql`${qualified('l', cartItems.priceSource)} = 'catalog'
  and ${qualified('l', cartItems.unitPrice)} is not ${catalogPrice(qualified('l', cartItems.productId))}`;

/** A stale line the catalog still prices: checkout reprices it. */
export const repriceableLine = sql`${staleLine} and ${catalogPrice(qualified('l', cartItems.productId))} is not null`;

/** The lines of the cart row a statement is about, as `l`, narrowed by `where`. */
const linesWhere = (where?: SQL) =>
  where === undefined
    ? sql`from ${LINES} where ${line(cartItems.cartId)} = ${CART_ID}`
    : sql`from ${LINES} where ${line(cartItems.cartId)} = ${CART_ID} and ${where}`;

/**
 * The cart row a statement is about exists for the caller (the slots
 * `caller`, a customer id or null, and `admin`, 0 or 1): a cart bound to a
 * customer exists only for them and the admin (API.md §8).
 */
export const visibleCart = seenBy(CART_CUSTOMER, sql.placeholder('caller'), sql`${sql.placeholder('admin')} = 1`);

/** cart/caller.ts `sees` as SQL: the row whose owner column is `owner` exists for the caller `customer`/`admin`. */
function seenBy(owner: SQLWrapper, customer: unknown, admin: SQL) {
  return sqlTerms.or(sql`${owner} is null`, sql`${owner} = ${customer}`, admin);
}

/** `sees` as SQL for one caller, its values bound. */
export const seenByCaller = (owner: SQLWrapper, caller: Caller) =>
  seenBy(owner, caller.customerId, sqlTerms.bool(caller.admin));

/** The line a change addresses, as a condition on `l`. */
function targetWhere(change: SymbolicChange): SQL {
  if (change.kind === 'add') {
    // A line without a product merges with nothing.
    if (change.line.productId === null) return sqlTerms.bool(false);
    const { line: added } = change;
    return sql.join(
      MERGE_KEY.map((column) => sql`${line(cartItems[column])} = ${added[column]}`),
      sql` and `,
    );
  }
  if (change.kind === 'update' || change.kind === 'remove') return sql`${line(cartItems.id)} = ${change.lineId}`;
  return sqlTerms.bool(false);
}

/**
 * The facts of rules.ts for the cart row a statement is about (correlated to
 * `carts`), as SQL sub-queries over its lines.
 */
export function sqlFacts(change: SymbolicChange, reserve = false): Facts<SQL, SQL> {
  const target = targetWhere(change);
  const of = (column: AnySQLiteColumn) => sql`coalesce((select ${line(column)} ${linesWhere(target)}), 0)`;
  let clash: SQL = sqlTerms.bool(false);
  if (change.kind === 'update' && (change.set.unitPrice !== undefined || change.set.metadata !== undefined)) {
    const { set } = change;
    const after = (column: (typeof MERGE_KEY)[number]) => {
      // A price set by hand makes the line custom (data/carts.ts writes it so).
      if (column === 'priceSource' && set.unitPrice !== undefined) return sql`'custom'`;
      const value = column === 'productId' || column === 'priceSource' ? undefined : set[column];
      return value === undefined ? sql`(select ${line(cartItems[column])} ${linesWhere(target)})` : sql`${value}`;
    };
    const sameKey = sql.join(
      MERGE_KEY.map((column) => sql`${other(cartItems[column])} = ${after(column)}`),
      sql` and `,
    );
    clash = sql`exists (select 1 from ${cartItems} as ${sql.identifier('o')} where ${other(cartItems.cartId)} = ${CART_ID}
      and ${other(cartItems.id)} <> ${change.lineId} and ${sameKey})`;
  }
  const catalog =
    change.kind === 'add' && change.line.priceSource === 'catalog' && change.line.productId !== null
      ? {
          available: onSale(sql`${change.line.productId}`),
          priced: sql`(${catalogPrice(sql`${change.line.productId}`)} is not null)`,
        }
      : { available: sqlTerms.bool(true), priced: sqlTerms.bool(true) };
  return {
    exists: visibleCart,
    open: sql`(${cartColumn(carts.status)} = 'open')`,
    expiresAt: cartColumn(carts.expiresAt),
    version: cartColumn(carts.version),
    lineCount: sql`(select count(*) ${linesWhere()})`,
    // total() never overflows (sum() would raise on a corrupt cart) and is exact up to 2^53, the cap.
    subtotal: sql`(select total(${line(cartItems.unitPrice)} * ${line(cartItems.quantity)}) ${linesWhere()})`,
    target: {
      exists: sql`exists (select 1 ${linesWhere(target)})`,
      quantity: of(cartItems.quantity),
      unitPrice: of(cartItems.unitPrice),
      keyed: sql`exists (select 1 ${linesWhere(sql`${target} and ${line(cartItems.productId)} is not null`)})`,
    },
    clash,
    product: catalog,
    stock: reserve ? reserveFacts(change) : UNTRACKED,
  };
}

const UNTRACKED = {
  tracked: sqlTerms.bool(false),
  units: sqlTerms.lit(0),
  room: sqlTerms.lit(0),
  lapsedShort: sqlTerms.bool(false),
};

/** The cart row a statement is about has no live reservation (none, or one that ended by the slot `now`). */
const lapsed = () => sql`coalesce(${cartColumn(carts.reservedUntil)}, 0) <= ${sql.placeholder('now')}`;

/**
 * The cart row a statement is about has no live reservation and holds more
 * of some tracked product than other carts leave (README, Stock): no change
 * can renew it as it is.
 */
export const lapsedShort = () => sql`(${lapsed()} and exists (select 1 from ${shortStock('add')}))`;

/** The cart row a statement is about has no live reservation, and all it holds fits what other carts leave. */
export const lapsedFitting = () => sql`(${lapsed()} and not exists (select 1 from ${shortStock('add')}))`;

/**
 * The product a change touches (an add's; the product of the line an update
 * sets the quantity of), as a term; none for other changes and classic lines.
 */
export function touchedProduct(change: SymbolicChange): SQL | undefined {
  if (change.kind === 'add') return change.line.productId === null ? undefined : sql`${change.line.productId}`;
  if (change.kind === 'update' && change.set.quantity !== undefined)
    return sql`(select ${line(cartItems.productId)} ${linesWhere(targetWhere(change))})`;
  return undefined;
}

/** The stock facts of rules.ts for the product a change touches (INVENTORY=reserve, README, Stock). */
function reserveFacts(change: SymbolicChange): Facts<SQL, SQL>['stock'] {
  const productId = touchedProduct(change);
  if (productId === undefined) return UNTRACKED;
  return {
    tracked: sql`exists (select 1 from ${stock} where ${stock.productId} = ${productId})`,
    units: sql`(select coalesce(sum(${line(cartItems.quantity)}), 0) ${linesWhere(sql`${line(cartItems.productId)} = ${productId}`)})`,
    room: roomToAdd(productId, CART_ID),
    lapsedShort: lapsedShort(),
  };
}

/**
 * What the carts other than `cartId` hold of `productId` in reservations
 * live at the slot `now` (README, Stock): the units of their lines whose
 * cart's last change reserved until after now (a cart checked out reserves
 * nothing). A line carries its cart's `reserved_until` at most
 * LINE_LAG_MS behind it, never ahead (schema.ts): a line whose copy is
 * after now is live, one whose copy is LINE_LAG_MS before now or earlier is
 * not, and only those in between are looked up in their cart. Both are
 * ranges of the index cart_items_reserved_idx.
 */
export const heldElsewhere = (productId: SQLWrapper, cartId: SQLWrapper, now: SQLWrapper = sql.placeholder('now')) => {
  const r = (column: AnySQLiteColumn) => qualified('r', column);
  const rc = (column: AnySQLiteColumn) => qualified('rc', column);
  const ofProduct = sql`${r(cartItems.productId)} = ${productId} and ${r(cartItems.cartId)} <> ${cartId}`;
  return sql`(coalesce((select sum(${r(cartItems.quantity)}) from ${cartItems} as ${sql.identifier('r')}
      where ${ofProduct} and ${r(cartItems.reservedUntil)} > ${now}), 0)
    + coalesce((select sum(${r(cartItems.quantity)}) from ${cartItems} as ${sql.identifier('r')}
      join ${carts} as ${sql.identifier('rc')} on ${rc(carts.id)} = ${r(cartItems.cartId)}
      where ${ofProduct} and ${r(cartItems.reservedUntil)} > ${now} - ${LINE_LAG_MS}
        and ${r(cartItems.reservedUntil)} <= ${now} and ${rc(carts.reservedUntil)} > ${now}), 0))`;
};

/** How far a line's copy of its cart's `reserved_until` may lag behind it (migration 0020's trigger). */
export const LINE_LAG_MS = sql.raw('30000');

/** What every cart holds of `productId` in reservations live at `now`: the admin view's `reserved`. */
export const reservedOf = (productId: SQLWrapper, now: SQLWrapper) => heldElsewhere(productId, sql`''`, now);

/** What the cart `cartId` may hold of the tracked product `productId` after an add: on hand, less what other carts hold. */
const roomToAdd = (productId: SQL, cartId: SQL) =>
  roomToTake(
    'add',
    sql`(select ${stock.onHand} from ${stock} where ${stock.productId} = ${productId})`,
    productId,
    cartId,
  );

/** The cart row a statement is about holds a stale line the catalog still prices: checkout reprices it. */
export const anyRepriceable = sql`exists (select 1 ${linesWhere(repriceableLine)})`;

/** The discount `d` of a statement, in the currency of the cart row it is about: a code's facts (rules.ts). */
const discount = (column: AnySQLiteColumn) => qualified('d', column);
const DISCOUNT = sql`${discounts} as ${sql.identifier('d')}`;
const discountFacts: CodeFacts<SQL, SQL> = {
  exists: sql`(${discount(discounts.code)} is not null and ${discount(discounts.deletedAt)} is null)`,
  active: discount(discounts.active),
  startsAt: discount(discounts.startsAt),
  endsAt: discount(discounts.endsAt),
  maxRedemptions: discount(discounts.maxRedemptions),
  redemptions: discount(discounts.redemptions),
  priced: sql`((${discount(discounts.kind)} = 'percentage'
      or json_extract(${discount(discounts.amountOff)}, '$.' || ${cartColumn(carts.currency)}) is not null)
    and (${discount(discounts.minSubtotal)} is null
      or json_extract(${discount(discounts.minSubtotal)}, '$.' || ${cartColumn(carts.currency)}) is not null))`,
};

/** The facts of the code `code` (a term) for the cart row a statement is about; null facts when there is none. */
export function sqlCodeFacts(code: SQL): CodeFacts<SQL, SQL> {
  const of = (term: SQL) => sql`(select ${term} from ${DISCOUNT} where ${discount(discounts.code)} = ${code})`;
  return {
    exists: sql`exists (select 1 from ${DISCOUNT} where ${discount(discounts.code)} = ${code}
      and ${discount(discounts.deletedAt)} is null)`,
    active: of(discountFacts.active),
    startsAt: of(discountFacts.startsAt),
    endsAt: of(discountFacts.endsAt),
    maxRedemptions: of(discountFacts.maxRedemptions),
    redemptions: of(discountFacts.redemptions),
    priced: of(discountFacts.priced),
  };
}

/**
 * Checkout's facts (rules.ts) for the cart row a statement is about: a
 * cart's, how many of its lines are stale (none unless prices are the
 * catalog's), whether the cart and its codes are as the order's discounts
 * were worked out from (the slots `snapshot`, `expectVersion`: a cart with no
 * code needs no version), and whether every code in the JSON array `applied`
 * can still be redeemed at `now`.
 */
export const sqlCheckoutFacts = (catalog: boolean, trusted: boolean, inventory: InventoryMode, now: SQL) => {
  const facts = sqlFacts({ kind: 'clear' });
  return {
    ...facts,
    stockShort: inventory === 'none' ? sqlTerms.lit(0) : sql`(select count(*) from ${shortStock(inventory)})`,
    stale: catalog ? sql`(select count(*) ${linesWhere(staleLine)})` : sqlTerms.lit(0),
    repricedSubtotal: catalog ? repricedSubtotal : facts.subtotal,
    repricedQuantity: catalog ? repricedQuantity : sqlTerms.lit(0),
    untrusted: trusted
      ? sqlTerms.lit(0)
      : sql`(select count(*) ${linesWhere(sql`${line(cartItems.priceSource)} = 'custom'`)})`,
    discountsCurrent,
    discountTotal: sql`${sql.placeholder('discountTotal')}`,
    expectedTotal: sql`${sql.placeholder('expectedTotal')}`,
    discountsHeld: sql`not exists (select 1 from json_each(${sql.placeholder('held')}) as ${sql.identifier('j')}
    left join ${DISCOUNT} on ${discount(discounts.code)} = ${sql.identifier('j')}.${sql.identifier('value')}
    where not ${sqlTerms.and(...codeChecks(sqlTerms, discountFacts, now).map((check) => check.holds))})`,
  };
};

/**
 * What the cart row a statement is about may take at checkout of a tracked
 * product `productId` whose `on_hand` is `onHand` (README, Stock): with
 * `track`, what is on hand; with `reserve`, the same while its own
 * reservation is live (live reservations take first come first served),
 * else what other carts do not hold in theirs. `view` is what a read shows:
 * `reserve` where the slot `reserving` is 1 (INVENTORY=reserve), else
 * `track`. `add` is what an add (INVENTORY=reserve) may bring the cart to:
 * what other carts do not hold.
 */
export function roomToTake(mode: StockMode, onHand: SQL, productId: SQL, cartId: SQL = CART_ID) {
  if (mode === 'track') return onHand;
  if (mode === 'add') return sql`(${onHand} - ${heldElsewhere(productId, cartId)})`;
  const mine = sql`${cartColumn(carts.reservedUntil)} > ${sql.placeholder('now')}`;
  const holds = mode === 'view' ? sql`(${sql.placeholder('reserving')} = 0 or ${mine})` : mine;
  return sql`(${onHand} - case when ${holds} then 0 else ${heldElsewhere(productId, cartId)} end)`;
}

/** How a room for stock is judged: see roomToTake. */
export type StockMode = 'track' | 'reserve' | 'view' | 'add';

/**
 * The tracked products (README, Stock) of the cart row a statement is about
 * whose units across its lines are more than it may take (roomToTake,
 * `mode`), as the rows `(product_id, units, room)` of a `from` clause: the
 * rule's one statement of "short".
 */
export const shortStock = (mode: StockMode) => {
  const room = roomToTake(mode, qualified('s', stock.onHand), line(cartItems.productId));
  return sql`(select ${line(cartItems.productId)} as ${sql.identifier('product_id')},
    sum(${line(cartItems.quantity)}) as ${sql.identifier('units')}, ${room} as ${sql.identifier('room')}
  from ${LINES} join ${stock} as ${sql.identifier('s')} on ${qualified('s', stock.productId)} = ${line(cartItems.productId)}
  where ${line(cartItems.cartId)} = ${CART_ID}
  group by ${line(cartItems.productId)} having sum(${line(cartItems.quantity)}) > ${room})`;
};

/**
 * Each line of a tracked product the cart row a statement is about holds
 * more of than it may take (shortStock, `mode`), with how many it may hold
 * (never below 0), in id order: `[[id, available], …]`, JSON text.
 */
export const shortLines = (mode: StockMode) => {
  const g = (name: string) => sql`${sql.identifier('g')}.${sql.identifier(name)}`;
  return sql`(select json_group_array(json_array(${line(cartItems.id)}, max(0, ${g('room')})) order by ${line(cartItems.id)})
  from ${LINES} join ${shortStock(mode)} as ${sql.identifier('g')} on ${g('product_id')} = ${line(cartItems.productId)}
  where ${line(cartItems.cartId)} = ${CART_ID})`;
};

/**
 * The cart row a statement is about and its codes are as the discounts a
 * change is judged with were worked out from (discount-plan.ts: the slots
 * `snapshot`, `expectVersion`; a cart with no code needs no version).
 */
export const discountsCurrent = sql`(${codesSnapshot} = ${sql.placeholder('snapshot')}
    and (${sql.placeholder('snapshot')} = '[]' or ${cartColumn(carts.version)} = ${sql.placeholder('expectVersion')}))`;

/** The subtotal of the cart row a statement is about with every line the catalog still prices at its price. */
const repricedSubtotal = sql`(select total(coalesce(case when ${line(cartItems.priceSource)} = 'catalog'
    then ${catalogPrice(line(cartItems.productId))} end, ${line(cartItems.unitPrice)}) * ${line(cartItems.quantity)})
  ${linesWhere()})`;

/** A cart whose expiry is `expiresAt` is live at `now` (rules.ts `expired`, negated). */
export const liveAt = (expiresAt: SQL, now: SQL) => sqlTerms.not(expired(sqlTerms, expiresAt, now));
/** The cart row a statement is about is live at `now`. */
export const live = (now: SQL) => liveAt(cartColumn(carts.expiresAt), now);

/**
 * The most the catalog lines of one product and metadata in the cart row a
 * statement is about hold together, among those a reprice would make one
 * (a group holding a stale line the catalog still prices).
 */
const repricedQuantity = sql`(select coalesce(max(${sql.identifier('g')}.${sql.identifier('q')}), 0) from (
    select sum(${line(cartItems.quantity)}) as ${sql.identifier('q')} from ${LINES}
    where ${line(cartItems.cartId)} = ${CART_ID} and ${line(cartItems.priceSource)} = 'catalog'
      and ${catalogPrice(line(cartItems.productId))} is not null
    group by ${line(cartItems.productId)}, ${line(cartItems.metadata)}
    having max(${line(cartItems.unitPrice)} is not ${catalogPrice(line(cartItems.productId))}) = 1
  ) as ${sql.identifier('g')})`;
