import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RateFacts } from '../cart/algebra.js';
import type { RateRecord } from '../cart/delivery.js';
import { deliveryChecks } from '../cart/rules.js';
import { cartItems, carts, products, shippingRates } from './schema.js';
import { cartColumn, line, qualified, sqlTerms } from './sql-rules.js';

/*
 * Delivery (API.md §10) in SQL, for the cart row a statement is about: the
 * facts of rules.ts of a shipping rate, the rates a cart view judges, and
 * what checkout needs to know.
 */

const rate = (column: AnySQLiteColumn) => qualified('r', column);
const RATE = sql`${shippingRates} as ${sql.identifier('r')}`;
const inCartCurrency = (json: SQL) => sql`json_extract(${json}, '$.' || ${cartColumn(carts.currency)})`;
const country = sql`json_extract(${cartColumn(carts.shippingAddress)}, '$.country')`;

/** The cart has a shipping address. */
const addressed = sql`(${cartColumn(carts.shippingAddress)} is not null)`;

/** The facts of the rate row `r`, for the cart row a statement is about. */
const rowFacts: RateFacts<SQL, SQL> = {
  exists: sqlTerms.bool(true),
  active: rate(shippingRates.active),
  addressed,
  // `countries` is stored as a JSON array of codes (shipping-rates.ts): a quoted code in its text is one of them.
  covers: sql`(instr(${rate(shippingRates.countries)}, '"*"') > 0
    or instr(${rate(shippingRates.countries)}, '"' || ${country} || '"') > 0)`,
  price: inCartCurrency(rate(shippingRates.prices)),
  freeOver: inCartCurrency(rate(shippingRates.freeOver)),
  minSubtotal: inCartCurrency(rate(shippingRates.minSubtotal)),
  maxSubtotal: inCartCurrency(rate(shippingRates.maxSubtotal)),
};

/** The facts of the rate `id` (a term), for the cart row a statement is about; null facts when there is none. */
export function sqlRateFacts(id: SQL): RateFacts<SQL, SQL> {
  const of = (term: SQL) => sql`(select ${term} from ${RATE} where ${rate(shippingRates.id)} = ${id})`;
  return {
    exists: sql`exists (select 1 from ${RATE} where ${rate(shippingRates.id)} = ${id})`,
    active: of(rowFacts.active),
    addressed,
    covers: of(rowFacts.covers),
    price: of(rowFacts.price),
    freeOver: of(rowFacts.freeOver),
    minSubtotal: of(rowFacts.minSubtotal),
    maxSubtotal: of(rowFacts.maxSubtotal),
  };
}

/** The row `r` as the cart view reads it (RateRecord, in the order rateRecordOf takes). */
const rateRow = sql`json_array(${rate(shippingRates.id)}, ${rate(shippingRates.name)}, ${rate(shippingRates.active)},
  ${addressed} and ${rowFacts.covers}, ${rowFacts.price}, ${rowFacts.freeOver}, ${rowFacts.minSubtotal}, ${rowFacts.maxSubtotal},
  coalesce(${rate(shippingRates.taxCategory)}, 'standard'))`;

/** A row of rateRow; the last, the tax category of the shipping (API.md §11). */
type RateRow = [
  string,
  string,
  0 | 1,
  0 | 1,
  number | null,
  number | null,
  number | null,
  number | null,
  taxCategory: string,
];

export const rateRecordOf = (row: RateRow): RateRecord => ({
  id: row[0],
  name: row[1],
  active: row[2] === 1,
  covers: row[3] === 1,
  price: row[4],
  freeOver: row[5],
  minSubtotal: row[6],
  maxSubtotal: row[7],
});

// The checks that do not depend on the cart's merchandise total (worked out with its discounts, after the read).
const BAND = new Set(['delivery-minimum', 'delivery-maximum', 'delivery-over-limit']);
const candidate = sqlTerms.and(
  ...deliveryChecks(sqlTerms, rowFacts, sql`null`)
    .filter((check) => !BAND.has(check.refusal))
    .map((check) => check.holds),
);

/**
 * What a cart view needs to work its delivery out (cart/delivery.ts
 * deliveryOf), as JSON text: the selection (`selected`, `name`) and the
 * rates that may deliver the cart (every rule but the merchandise total's
 * holds) with the selected one whatever its state; null for a cart with
 * no shipping address and no selection, whose delivery is none.
 */
export const deliveryJson = sql`case when ${addressed} or ${cartColumn(carts.deliveryOptionId)} is not null
  then json_object('selected', ${cartColumn(carts.deliveryOptionId)}, 'name', ${cartColumn(carts.deliveryName)},
    'addressed', json(case when ${addressed} then 'true' else 'false' end),
    'rates', (select json_group_array(${rateRow} order by ${rate(shippingRates.id)}) from ${RATE}
      where ${rate(shippingRates.id)} = ${cartColumn(carts.deliveryOptionId)} or ${candidate})) end`;

/** deliveryJson, parsed. */
export interface DeliveryData {
  selected: string | null;
  name: string | null;
  addressed: boolean;
  rates: RateRow[];
}

/** The rate `id` (a term) as the cart row a statement is about reads it (a rateRow), if it exists. */
export const rateRowOf = (id: SQL) => sql`(select ${rateRow} from ${RATE} where ${rate(shippingRates.id)} = ${id})`;

/** The name of the rate `id` (a term). */
export const rateName = (id: SQL) =>
  sql`(select ${rate(shippingRates.name)} from ${RATE} where ${rate(shippingRates.id)} = ${id})`;

const product = (column: AnySQLiteColumn) => qualified('p', column);

/**
 * Delivery is needed (API.md §10): some shipping rate is active, and the
 * cart row a statement is about holds a shippable line (a line of a product
 * in the catalog follows its `shippable`; any other line is shippable).
 */
export const deliveryNeeded = sql`(exists (select 1 from ${shippingRates} where ${shippingRates.active})
  and exists (select 1 from ${cartItems} as ${sql.identifier('l')}
    left join ${products} as ${sql.identifier('p')} on ${product(products.id)} = ${line(cartItems.productId)}
    where ${line(cartItems.cartId)} = ${cartColumn(carts.id)} and coalesce(${product(products.shippable)}, 1)))`;

/** The cart row a statement is about has a delivery selected. */
export const selected = sql`(${cartColumn(carts.deliveryOptionId)} is not null)`;
