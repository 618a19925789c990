import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Preconditions } from '../cart/changes.js';
import type { CheckoutRefusal } from '../cart/refusals.js';
import {
  checkoutChecks,
  delivers,
  deliveryAmount,
  merchandiseOf,
  repriceChecks,
  shippingTotal,
} from '../cart/rules.js';
import { addressJson, iso } from './cart-json.js';
import { compile, slot } from './compiled.js';
import { deliveryJson, deliveryNeeded, rateName, selected, sqlRateFacts } from './delivery-sql.js';
import { eventInsert } from './events.js';
import { bumpWhere, byShape, stampedBy } from './guarded.js';
import { cartDiscounts, cartItems, carts, discounts, orders, stock } from './schema.js';
import {
  anyRepriceable,
  cartColumn,
  catalogPrice,
  type InventoryMode,
  qualified,
  shortLines,
  sqlCheckoutFacts,
  sqlTerms,
  staleLine,
} from './sql-rules.js';
import { stockByOrder } from './stock.js';
import { pricedLinesJson, taxJson } from './tax-sql.js';

/*
 * The statements of a checkout (API.md §5), built once per price mode,
 * trust and shape of preconditions: the stale-line read, the reprice (with
 * its merge of twins), the close, the order and its event, the redemptions.
 */

const L = (column: AnySQLiteColumn) => qualified('l', column);
const now = sql`${slot('now')}`;

/** The catalog lines of the cart that no longer match the catalog, before anything changes. */
export const staleRead = compile(
  sql`select ${L(cartItems.id)}, ${L(cartItems.unitPrice)}, ${catalogPrice(L(cartItems.productId))}
    from ${cartItems} as ${sql.identifier('l')} join ${carts} on ${carts.id} = ${L(cartItems.cartId)}
    where ${L(cartItems.cartId)} = ${slot('cartId')} and ${staleLine} order by ${L(cartItems.id)}`,
);

/**
 * The order resource of API.md §5 as JSON, built by the database from the
 * cart row a statement is about: the lines as they are, every total from the
 * stored integers.
 */
// A JavaScript number is bound as a REAL: cast, so the order says 1100, not 1100.0.
const discountTotal = sql`cast(${slot('discountTotal')} as integer)`;
const taxTotal = sql`cast(${slot('taxTotal')} as integer)`;
/** The tax `total` adds: none where prices include it (API.md §11). */
const taxAdded = sql`cast(${slot('taxAdded')} as integer)`;
const OL = (name: string) => sql`${sql.identifier('ol')}.${sql.identifier(name)}`;
/** The order's lines in one row (`items`, `s`: the subtotal), joined as `ol` by the statement that writes the order. */
const orderLines = sql`(select json_group_array(json_object(
      'product_id', ${L(cartItems.productId)},
      'name', ${L(cartItems.name)},
      'unit_price', ${L(cartItems.unitPrice)},
      'quantity', ${L(cartItems.quantity)},
      'line_total', ${L(cartItems.unitPrice)} * ${L(cartItems.quantity)},
      'discount_allocations', json(coalesce(json_extract(${slot('allocations')}, '$."' || ${L(cartItems.id)} || '"'), '[]')),
      'tax_lines', json(coalesce(json_extract(${slot('lineTaxes')}, '$."' || ${L(cartItems.id)} || '"'), '[]')),
      'metadata', json(${L(cartItems.metadata)})) order by ${L(cartItems.id)}) as ${sql.identifier('items')},
    cast(total(${L(cartItems.unitPrice)} * ${L(cartItems.quantity)}) as integer) as ${sql.identifier('s')}
  from ${cartItems} as ${sql.identifier('l')} where ${L(cartItems.cartId)} = ${slot('cartId')}) as ${sql.identifier('ol')}`;
/** Delivery's facts (rules.ts) for the cart row a statement is about: the rate it selected. */
const deliveryFacts = { deliveryNeeded, selected, rate: sqlRateFacts(cartColumn(carts.deliveryOptionId)) };
/** What the order's delivery is worked out from: its lines' subtotal (`ol`), its discounts, the selected rate. */
const ordered = { subtotal: OL('s'), discountTotal, rate: deliveryFacts.rate };
const orderMerchandise = merchandiseOf(sqlTerms, ordered);
const orderShipping = shippingTotal(sqlTerms, ordered);
const orderJson = sql`json_object(
  'id', ${slot('orderId')},
  'cart_id', ${cartColumn(carts.id)},
  'status', 'placed',
  'version', 1,
  'currency', ${cartColumn(carts.currency)},
  'items', json(${OL('items')}),
  'subtotal', ${OL('s')},
  'discount_total', ${discountTotal},
  'discounts', json(${slot('discounts')}),
  'delivery', case when ${delivers(sqlTerms, ordered.rate, orderMerchandise)} then json_object(
    'option_id', ${cartColumn(carts.deliveryOptionId)},
    'name', ${rateName(cartColumn(carts.deliveryOptionId))},
    'amount', ${deliveryAmount(sqlTerms, ordered.rate, orderMerchandise)}) end,
  'shipping_total', ${orderShipping},
  'shipping_tax_lines', json(${slot('shippingTaxes')}),
  'tax_total', ${taxTotal},
  'prices_include_tax', json(case when ${slot('pricesIncludeTax')} then 'true' else 'false' end),
  'total', ${OL('s')} - ${discountTotal} + ${orderShipping} + ${taxAdded},
  'email', coalesce(${slot('email')}, ${cartColumn(carts.email)}),
  'note', ${cartColumn(carts.note)},
  'attributes', json(${cartColumn(carts.attributes)}),
  'shipping_address', ${addressJson(cartColumn(carts.shippingAddress))},
  'billing_address', ${addressJson(cartColumn(carts.billingAddress))},
  'customer_id', ${cartColumn(carts.customerId)},
  'metadata', json(${slot('metadata')}),
  'created_at', ${iso(now)},
  'status_history', json_array(json_object('status', 'placed', 'at', ${iso(now)})),
  'payment_reference', null)`;

/**
 * Tax's facts (rules.ts) for the cart row a statement is about, whose
 * delivery comes to `shipping`: the tax was worked out (discount-plan.ts
 * TaxPlan) from this cart's tax data, lines and delivery data (the rate
 * selected, its price and tax category), at this delivery amount
 * and, for a tax a tax service set, at this version. Without tax, nothing to check.
 */
const taxFacts = (shipping: SQL) => ({
  taxCurrent: sql`(${slot('taxMode')} = 'none' or (${taxJson} is ${slot('taxDoc')} and ${pricedLinesJson} is ${slot('linesDoc')}
    and ${deliveryJson} is ${slot('deliveryDoc')}
    and (${slot('taxVersion')} is null or ${cartColumn(carts.version)} = ${slot('taxVersion')})
    and ${shipping} = ${slot('plannedShipping')}))`,
  taxPending: sql`(${slot('taxPending')} = 1)`,
  taxStale: sql`(${slot('taxStale')} = 1)`,
  taxAdded,
});

const CART = sql`${slot('cartId')}`;
/** The units of each tracked product (README, Stock) across the cart's lines, as a JSON object by product id. */
const stockTaken = sql`(select json_group_object(${sql.identifier('product_id')}, ${sql.identifier('units')}) from
  (select ${L(cartItems.productId)} as ${sql.identifier('product_id')}, sum(${L(cartItems.quantity)}) as ${sql.identifier('units')}
    from ${cartItems} as ${sql.identifier('l')} join ${stock} on ${stock.productId} = ${L(cartItems.productId)}
    where ${L(cartItems.cartId)} = ${CART} group by ${L(cartItems.productId)}))`;
/** The statements of a checkout, by price mode; their text does not depend on the database. */
function statementsFor(prices: 'catalog' | 'client', trusted: boolean, inventory: InventoryMode, when: Preconditions) {
  const track = inventory !== 'none';
  const cartFacts = { ...sqlCheckoutFacts(prices === 'catalog', trusted, inventory, now), ...deliveryFacts };
  const facts = { ...cartFacts, ...taxFacts(shippingTotal(sqlTerms, cartFacts)) };
  const checks = checkoutChecks(sqlTerms, facts, when, now);
  const allBut = (refusal: CheckoutRefusal) =>
    sqlTerms.and(...checks.filter((check) => check.refusal !== refusal).map((check) => check.holds));
  // The catalog's price of the line being updated, in its cart's currency.
  const currencyOfCart = sql`(select ${carts.currency} from ${carts} where ${carts.id} = ${slot('cartId')})`;
  const catalogNow = catalogPrice(cartItems.productId, currencyOfCart);
  // Lines of the cart being checked out, as `alias`: a column, the catalog's price now, the same product and metadata.
  const priceNow = (alias: string) => catalogPrice(qualified(alias, cartItems.productId), currencyOfCart);
  const inCart = (alias: string) =>
    sql`${cartItems} as ${sql.identifier(alias)} where ${qualified(alias, cartItems.cartId)} = ${slot('cartId')}`;
  const repriceable = (alias: string) =>
    sql`${qualified(alias, cartItems.priceSource)} = 'catalog' and ${priceNow(alias)} is not null
      and ${qualified(alias, cartItems.unitPrice)} is not ${priceNow(alias)}`;
  const sameLine = (a: string, b: string) =>
    sql`${qualified(a, cartItems.productId)} = ${qualified(b, cartItems.productId)} and ${qualified(a, cartItems.metadata)} = ${qualified(b, cartItems.metadata)}
      and ${qualified(a, cartItems.priceSource)} = ${qualified(b, cartItems.priceSource)}`;
  // A merged stale line is marked by the step's own id in its name until it is deleted, in the same batch.
  const marked = (alias: string) => sql`${qualified(alias, cartItems.name)} = ${slot('repriceOp')}`;
  return {
    // Every rule holds but the prices, the catalog still prices a stale line, and the reprice keeps every
    // limit (repriceChecks: the lines it makes one fit a line, the subtotal stays within the cap): reprice,
    // and the version moves. Otherwise nothing is repriced.
    // Nothing to reprice is the common case: that term comes first, so the rest is not evaluated.
    repriceBump: bumpWhere(
      [anyRepriceable, allBut('prices-changed'), ...repriceChecks(sqlTerms, facts).map((check) => check.holds)],
      { op: 'repriceOp' },
    ),
    // The catalog lines of one product and metadata become one line at the catalog's price: where such a
    // group holds a stale line, every line of it but one (the one already at that price, else the oldest)
    // is marked, its quantity added to that one, and deleted.
    mergeMark: compile(
      sql`update ${cartItems} as ${sql.identifier('l')} set name = ${slot('repriceOp')}
        where ${stampedBy('repriceOp')} and ${qualified('l', cartItems.cartId)} = ${slot('cartId')}
          and ${qualified('l', cartItems.priceSource)} = 'catalog' and ${priceNow('l')} is not null
          and exists (select 1 from ${inCart('s')} and ${sameLine('s', 'l')} and ${repriceable('s')})
          and ${qualified('l', cartItems.id)} <> (select ${qualified('t', cartItems.id)} from ${inCart('t')} and ${sameLine('t', 'l')}
            order by ${qualified('t', cartItems.unitPrice)} is ${priceNow('t')} desc, ${qualified('t', cartItems.id)} limit 1)`,
    ),
    mergeInto: compile(
      sql`update ${cartItems} as ${sql.identifier('t')} set updated_at = ${now}, quantity = ${qualified('t', cartItems.quantity)}
          + (select sum(${qualified('s', cartItems.quantity)}) from ${inCart('s')} and ${marked('s')} and ${sameLine('s', 't')})
        where ${stampedBy('repriceOp')} and ${qualified('t', cartItems.cartId)} = ${slot('cartId')} and not ${marked('t')}
          and exists (select 1 from ${inCart('s')} and ${marked('s')} and ${sameLine('s', 't')})`,
    ),
    mergeDrop: compile(
      sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')} and ${cartItems.name} = ${slot('repriceOp')}`,
    ),
    // Each group is one line by now: no repriced line meets a twin.
    reprice: compile(
      sql`update or ignore ${cartItems} set unit_price = ${catalogNow}, updated_at = ${now}
        where ${stampedBy('repriceOp')} and ${cartItems.cartId} = ${slot('cartId')} and ${cartItems.priceSource} = 'catalog'
          and ${catalogNow} is not null and ${cartItems.unitPrice} is not ${catalogNow}`,
    ),
    // Every rule holds, and nothing was repriced in this step: the cart closes into the order.
    // A cart checked out reserves nothing more (README, Stock): its order took the units.
    close: bumpWhere([...checks.map((check) => check.holds), sql`${carts.lastOp} is not ${slot('repriceOp')}`], {
      renew: sql`null`,
      also: sql`status = case when ${carts.expiresAt} is null then 'open' else 'checked_out' end,
        order_id = case when ${carts.expiresAt} is null then null else ${slot('orderId')} end`,
    }),
    insertOrder: compile(
      sql`insert into ${orders} (id, cart_id, customer_id, body, created_at, stock_taken)
        select ${slot('orderId')}, ${carts.id}, ${carts.customerId}, ${orderJson}, ${now}, ${track ? stockTaken : sql`null`}
        from ${carts}, ${orderLines} where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')}`,
    ),
    // With INVENTORY=track, the units the order took of each tracked product (the close checked they are on hand).
    takeStock: track ? compile(stockByOrder('take')) : undefined,
    insertEvent: compile(
      sql`${eventInsert('order.placed', orders.body)} from ${orders} where ${orders.id} = ${slot('orderId')}`,
    ),
    // Each code the order applies is redeemed once, in the step its limit was checked in.
    redeem: compile(
      sql`update ${discounts} set redemptions = ${discounts.redemptions} + 1
        where ${discounts.code} in (select value from json_each(${slot('applied')})) and ${stampedBy()}`,
    ),
    // The default cart (no expiry) is permanent, as the classic surface needs it: checked out, it stays open and empties.
    emptyDefault: compile(
      sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')} and exists (select 1 from ${carts}
        where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')} and ${carts.expiresAt} is null)`,
    ),
    emptyDefaultCodes: compile(
      sql`delete from ${cartDiscounts} where ${cartDiscounts.cartId} = ${slot('cartId')} and exists (select 1 from ${carts}
        where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')} and ${carts.expiresAt} is null)`,
    ),
    // The order placed, and what the explanation of a refusal needs besides the cart read back: whether delivery is needed.
    readOrder: compile(
      sql`select (select ${orders.body} from ${orders} where ${orders.id} = ${slot('orderId')}), ${deliveryNeeded},
          ${inventory === 'none' ? sql`'[]'` : shortLines(inventory)}
        from ${carts} where ${carts.id} = ${slot('cartId')}`,
    ),
  };
}

/** The statements for a price mode, a trust and preconditions (guarded.ts byShape), and the values of their slots. */
export const statements = (
  prices: 'catalog' | 'client',
  trusted: boolean,
  inventory: InventoryMode,
  when: Preconditions,
) => {
  const built = byShape(`checkout|${prices}|${trusted}|${inventory}`, when, (w) =>
    statementsFor(prices, trusted, inventory, w),
  );
  return { s: built.statements, values: built.values };
};
