import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { ADDRESS_FIELDS } from '../cart/details.js';
import type { CodeRecord } from '../cart/discounts.js';
import { cartDiscounts, cartItems, carts, discounts } from './schema.js';

/**
 * The cart resource of API.md §2 as JSON, built by the database in the
 * statement that reads the cart: its lines in id order, every total
 * (`line_total`, `line_count`, `item_count`, `subtotal`) computed there from
 * the stored integers, times as ISO 8601 with milliseconds (what JavaScript's
 * toISOString writes), metadata as stored. Nothing maps rows or builds the
 * document again in JavaScript: on a 10-line cart that was most of a read's
 * CPU (README, Performance). The shape is held to the documented `Cart`
 * schema by the conformance check on every /v1 answer of the shared suites.
 */

/** Epoch milliseconds as ISO 8601 text, in SQL. */
export const iso = (ms: SQL) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
const L = (column: AnySQLiteColumn) => sql`${sql.identifier('l')}.${sql.identifier(column.name)}`;
const C = (column: AnySQLiteColumn) => sql`${carts}.${sql.identifier(column.name)}`;

const lineJson = sql`json_object(
  'id', ${L(cartItems.id)},
  'product_id', ${L(cartItems.productId)},
  'name', ${L(cartItems.name)},
  'unit_price', ${L(cartItems.unitPrice)},
  'quantity', ${L(cartItems.quantity)},
  'line_total', ${L(cartItems.unitPrice)} * ${L(cartItems.quantity)},
  'metadata', json(${L(cartItems.metadata)}),
  'price_source', ${L(cartItems.priceSource)},
  'discount_allocations', json('[]'),
  'tax_lines', json('[]'),
  'created_at', ${iso(L(cartItems.createdAt))},
  'updated_at', ${iso(L(cartItems.updatedAt))})`;

/**
 * The lines of the cart `cartId` in one row: `items` (a JSON array), `n`,
 * `q` and `s`. total() never overflows (sum() would raise on a corrupt cart)
 * and is exact up to 2^53, past which no rule lets a subtotal go.
 */
const linesOf = (cartId: SQL) => sql`(select
    json_group_array(${lineJson} order by ${L(cartItems.id)}) as items,
    count(*) as n,
    cast(total(${L(cartItems.quantity)}) as integer) as q,
    cast(total(${L(cartItems.unitPrice)} * ${L(cartItems.quantity)}) as integer) as s
  from ${cartItems} as ${sql.identifier('l')} where ${L(cartItems.cartId)} = ${cartId}) as ${sql.identifier('ls')}`;

const LS = (name: string) => sql`${sql.identifier('ls')}.${sql.identifier(name)}`;

/**
 * A stored address (the fields set, API.md §10) as the cart shows it: every
 * field, null where unset; null for no address.
 */
export const addressJson = (stored: SQL) =>
  sql`case when ${stored} is null then null else json_object(${sql.join(
    ADDRESS_FIELDS.map((field) => sql`${field}, json_extract(${stored}, ${`$.${field}`})`),
    sql`, `,
  )}) end`;

export const cartJson = sql`json_object(
  'id', ${C(carts.id)},
  'currency', ${C(carts.currency)},
  'version', ${C(carts.version)},
  'status', ${C(carts.status)},
  'order_id', ${C(carts.orderId)},
  'customer_id', ${C(carts.customerId)},
  'items', json(${LS('items')}),
  'line_count', ${LS('n')},
  'item_count', ${LS('q')},
  'subtotal', ${LS('s')},
  'discount_codes', json('[]'),
  'discount_total', 0,
  'delivery_options', json('[]'),
  'delivery', null,
  'shipping_total', 0,
  'shipping_tax_lines', json('[]'),
  'tax_total', 0,
  'prices_include_tax', json('false'),
  'tax_status', 'not_applicable',
  'total', ${LS('s')},
  'warnings', json('[]'),
  'metadata', json(${C(carts.metadata)}),
  'email', ${C(carts.email)},
  'note', ${C(carts.note)},
  'attributes', json(${C(carts.attributes)}),
  'shipping_address', ${addressJson(C(carts.shippingAddress))},
  'billing_address', ${addressJson(C(carts.billingAddress))},
  'created_at', ${iso(C(carts.createdAt))},
  'updated_at', ${iso(C(carts.updatedAt))},
  'expires_at', case when ${C(carts.expiresAt)} is null then null else ${iso(C(carts.expiresAt))} end)`;

const D = (column: AnySQLiteColumn) => sql`${sql.identifier('d')}.${sql.identifier(column.name)}`;
const CD = (column: AnySQLiteColumn) => sql`${sql.identifier('cd')}.${sql.identifier(column.name)}`;
const inCurrency = (json: SQL) => sql`json_extract(${json}, '$.' || ${C(carts.currency)})`;
const attached = (row: SQL) => sql`(select json_group_array(${row} order by ${CD(cartDiscounts.id)})
  from ${cartDiscounts} as ${sql.identifier('cd')} left join ${discounts} as ${sql.identifier('d')}
    on ${D(discounts.code)} = ${CD(cartDiscounts.code)}
  where ${CD(cartDiscounts.cartId)} = ${C(carts.id)})`;

/**
 * The codes attached to the cart row a statement is about, in the order they
 * were attached, each with what the rules and the arithmetic of API.md §7
 * need of it in the cart's currency (see AttachedCode); `[]` for none.
 */
export const attachedCodes = attached(sql`json_array(${CD(cartDiscounts.code)},
  ${D(discounts.code)} is not null and ${D(discounts.deletedAt)} is null,
  ${D(discounts.kind)}, ${D(discounts.percentOffBp)}, ${inCurrency(D(discounts.amountOff))},
  ${inCurrency(D(discounts.minSubtotal))}, ${D(discounts.startsAt)}, ${D(discounts.endsAt)},
  ${D(discounts.maxRedemptions)}, ${D(discounts.redemptions)}, ${D(discounts.active)},
  ${D(discounts.version)}, ${D(discounts.updatedAt)}, ${D(discounts.minSubtotal)} is not null)`);

/**
 * What the discounts of an order are worked out from, besides the lines:
 * each attached code and the version of its definition (redemptions left
 * out: other checkouts move them). Checkout compares it again in its step.
 */
export const codesSnapshot = attached(
  sql`json_array(${CD(cartDiscounts.code)}, ${D(discounts.version)}, ${D(discounts.updatedAt)})`,
);

/** A row of attachedCodes. */
export type AttachedCode = [
  code: string,
  exists: 0 | 1,
  kind: 'percentage' | 'fixed' | null,
  percentOffBp: number | null,
  amountOff: number | null,
  minSubtotal: number | null,
  startsAt: number | null,
  endsAt: number | null,
  maxRedemptions: number | null,
  redemptions: number | null,
  active: 0 | 1 | null,
  version: number | null,
  updatedAt: number | null,
  minimumSet: 0 | 1 | null,
];

/** codesSnapshot as JavaScript writes it, from the codes attachedCodes read. */
export const snapshotOf = (codes: AttachedCode[]) => JSON.stringify(codes.map((code) => [code[0], code[11], code[12]]));

/** What a read of a cart's JSON gives: the fields the rules and the ETag need, and the body. */
export interface CartDocument {
  version: number;
  expiresAt: number | null;
  /**
   * The cart resource as JSON text, with no discounts or delivery worked
   * out: with codes, an address or a selection, cart-view.ts shownBody does.
   */
  body: string;
  /** The attached codes (attachedCodes), JSON text. */
  codes: string;
  /** For a checked-out cart, the order it became (JSON text): its discounts are the ones shown. */
  order: string | null;
  /** What its delivery is worked out from (delivery-sql.ts deliveryJson), JSON text; null: no address, no selection. */
  delivery: string | null;
  /**
   * For a cart holding codes or whose lines are taxed, each line's id, total
   * and tax category in id order (tax-sql.ts pricedLinesJson, JSON text); else null.
   */
  lines: string | null;
  /** What its tax is worked out from (tax-sql.ts taxJson), JSON text; null: no address, no tax set. */
  tax: string | null;
  /**
   * Each line of a tracked product it holds more of than it could check out
   * now, and how many it may hold (sql-rules.ts shortLines): `[[id,
   * available], …]`, JSON text; null for none.
   */
  stock: string | null;
}

/** The FROM clause of a statement reading the cart `cartId` as a document (cart-document.ts cartDocumentColumns). */
export const cartDocumentFrom = (cartId: SQL) => sql`${carts}, ${linesOf(cartId)}`;

/** A stored attached code as the rules read it. */
export const codeRecordOf = (row: AttachedCode): CodeRecord => ({
  code: row[0],
  exists: row[1] === 1,
  kind: row[2],
  percentOffBp: row[3],
  amountOff: row[4],
  minSubtotal: row[5],
  startsAt: row[6],
  endsAt: row[7],
  maxRedemptions: row[8],
  redemptions: row[9],
  active: row[10] === null ? null : row[10] === 1,
  minimumSet: row[13] === 1,
});

/** The cart resource (API.md §2) as the database builds it (`cartJson`), in the fields the service reads back. */
export interface CartBody {
  id: string;
  currency: string;
  status: 'open' | 'checked_out';
  order_id: string | null;
  customer_id: string | null;
  items: Array<{
    id: number;
    product_id: string | null;
    name: string;
    unit_price: number;
    quantity: number;
    line_total: number;
    metadata: Record<string, string | number | boolean>;
    price_source: 'catalog' | 'custom';
    discount_allocations: unknown;
    tax_lines: unknown;
  }>;
  subtotal: number;
  discount_codes: unknown;
  discount_total: number;
  delivery_options: unknown;
  delivery: unknown;
  shipping_total: number;
  shipping_tax_lines: unknown;
  tax_total: number;
  prices_include_tax: boolean;
  tax_status: string;
  total: number;
}

/** A document's body, parsed once with its one type. */
export const bodyOf = (document: CartDocument): CartBody => JSON.parse(document.body) as CartBody;

/** A document's attached codes (`attachedCodes`), parsed with their one type. */
export const codesOf = (document: CartDocument | undefined): AttachedCode[] =>
  document === undefined ? [] : (JSON.parse(document.codes) as AttachedCode[]);
