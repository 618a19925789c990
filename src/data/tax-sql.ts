import { sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { TaxLine, TaxRate } from '../cart/tax.js';
import { cartDiscounts, cartItems, carts, products, taxRates } from './schema.js';
import { cartColumn, line, qualified } from './sql-rules.js';

/*
 * Tax (API.md §11) in SQL, for the cart row a statement is about: what a
 * cart view works its tax out from. The arithmetic itself is JavaScript's
 * (cart/tax.ts), exact in bigint; the database only reads.
 */

const rate = (column: AnySQLiteColumn) => qualified('t', column);
/** The address tax goes by: the shipping address, else the billing address. */
const placeAddress = sql`coalesce(${cartColumn(carts.shippingAddress)}, ${cartColumn(carts.billingAddress)})`;
const placeCountry = sql`json_extract(${placeAddress}, '$.country')`;
const externalTax = cartColumn(carts.externalTax);

/** The rates of the place's country (any region or category: the rules choose), by id. */
const countryRates = sql`(select json_group_array(json_array(${rate(taxRates.id)}, ${rate(taxRates.name)},
    ${rate(taxRates.region)}, ${rate(taxRates.category)}, ${rate(taxRates.rateBp)}) order by ${rate(taxRates.id)})
  from ${taxRates} as ${sql.identifier('t')} where ${rate(taxRates.country)} = ${placeCountry})`;

/**
 * What a cart view works the cart's tax out from, as JSON text (TaxData):
 * the place (country and region), the rates of its country, and the tax a
 * tax service set with the version it was set at; null for a cart with no
 * address and no tax set, which has none to show.
 */
export const taxJson = sql`case when ${placeAddress} is not null or ${externalTax} is not null
  then json_object(
    'place', case when ${placeAddress} is not null
      then json_array(${placeCountry}, json_extract(${placeAddress}, '$.region')) end,
    'rates', case when ${placeAddress} is not null then json(${countryRates}) else json('[]') end,
    'external', json(${externalTax}),
    'at', ${cartColumn(carts.externalTaxVersion)}) end`;

/** Whether the cart row's lines are taxed by something: a rate of its place's country, or a tax set. */
export const taxable = sql`(${externalTax} is not null or exists (select 1 from ${taxRates} as ${sql.identifier('t')}
  where ${rate(taxRates.country)} = ${placeCountry}))`;

/** A line's tax category: its product's, for a catalog line of a product in the catalog; else null (`standard`). */
const lineCategory = sql`case when ${line(cartItems.priceSource)} = 'catalog' then (select ${qualified('p', products.taxCategory)}
  from ${products} as ${sql.identifier('p')} where ${qualified('p', products.id)} = ${line(cartItems.productId)}) end`;

/**
 * For the cart row a statement is about, when it holds codes or its lines
 * are taxed: each line's id, total and tax category in id order (`[[id,
 * total, category], …]`, JSON text), what the discounts and the tax are
 * worked out from; null otherwise, so a cart without either pays only the lookups.
 */
export const pricedLinesJson = sql`case when exists (select 1 from ${cartDiscounts} as ${sql.identifier('pc')}
    where ${qualified('pc', cartDiscounts.cartId)} = ${cartColumn(carts.id)}) or ${taxable}
  then (select json_group_array(json_array(${line(cartItems.id)}, ${line(cartItems.unitPrice)} * ${line(cartItems.quantity)},
    ${lineCategory}) order by ${line(cartItems.id)})
    from ${cartItems} as ${sql.identifier('l')} where ${line(cartItems.cartId)} = ${cartColumn(carts.id)}) end`;

/** A row of countryRates. */
type TaxRateRow = [id: string, name: string, region: string | null, category: string, rateBp: number];

/** The tax a tax service set (`PUT /v1/carts/{id}/tax`), as stored: each line's tax lines by line id, the shipping's. */
export interface ExternalTax {
  items: Record<string, TaxLine[]>;
  shipping: TaxLine[];
}

/** taxJson, parsed. */
export interface TaxData {
  place: [country: string, region: string | null] | null;
  rates: TaxRateRow[];
  external: ExternalTax | null;
  /** The cart's version once the external tax was set. */
  at: number | null;
}

/** The rates of a TaxData, as the rules read them. */
export const taxRatesOf = (data: TaxData): TaxRate[] =>
  data.place === null
    ? []
    : data.rates.map(([id, name, region, category, rateBp]) => ({
        id,
        name,
        country: (data.place as [string, string | null])[0],
        region,
        category,
        rateBp,
      }));
