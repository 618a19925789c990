import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { cartItems, carts } from './schema.js';

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

const iso = (ms: SQL) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
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

export const cartJson = sql`json_object(
  'id', ${C(carts.id)},
  'currency', ${C(carts.currency)},
  'version', ${C(carts.version)},
  'status', ${C(carts.status)},
  'order_id', ${C(carts.orderId)},
  'items', json(${LS('items')}),
  'line_count', ${LS('n')},
  'item_count', ${LS('q')},
  'subtotal', ${LS('s')},
  'metadata', json(${C(carts.metadata)}),
  'created_at', ${iso(C(carts.createdAt))},
  'updated_at', ${iso(C(carts.updatedAt))},
  'expires_at', case when ${C(carts.expiresAt)} is null then null else ${iso(C(carts.expiresAt))} end)`;

/** What a read of a cart's JSON gives: the fields the rules and the ETag need, and the body. */
export interface CartDocument {
  version: number;
  expiresAt: number | null;
  /** The cart resource as JSON text. */
  body: string;
}

/**
 * The columns and FROM clause of a statement reading the cart `cartId` as a
 * {@link CartDocument}: `select ${cartDocumentColumns} from ${cartDocumentFrom(id)} where …`.
 */
export const cartDocumentColumns = sql`${C(carts.version)} as ${sql.identifier('version')},
  ${C(carts.expiresAt)} as ${sql.identifier('expires_at')},
  ${cartJson} as ${sql.identifier('body')}`;
export const cartDocumentFrom = (cartId: SQL) => sql`${carts}, ${linesOf(cartId)}`;
