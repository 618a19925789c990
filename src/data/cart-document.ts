import { sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type Caller, sees } from '../cart/caller.js';
import { canonicalMetadata } from '../cart/metadata.js';
import type { CartState, LineRecord } from '../cart/model.js';
import { attachedCodes, bodyOf, type CartDocument, cartDocumentFrom, cartJson } from './cart-json.js';
import { compile, type Row, slot } from './compiled.js';
import { deliveryJson } from './delivery-sql.js';
import { carts, orders } from './schema.js';
import { cartColumn, live, liveAt, qualified, shortLines, visibleCart } from './sql-rules.js';
import { pricedLinesJson, taxJson } from './tax-sql.js';

/**
 * The columns of a statement reading the cart `cartId` as a {@link CartDocument}:
 * `select ${cartDocumentColumns} from ${cartDocumentFrom(id)} where …`.
 */
export const cartDocumentColumns = sql`${cartColumn(carts.version)} as ${sql.identifier('version')},
  ${cartColumn(carts.expiresAt)} as ${sql.identifier('expires_at')},
  ${cartJson} as ${sql.identifier('body')},
  ${attachedCodes} as ${sql.identifier('codes')},
  case when ${cartColumn(carts.status)} = 'checked_out'
    then (select ${orders.body} from ${orders} where ${orders.id} = ${cartColumn(carts.orderId)}) end as ${sql.identifier('order')},
  ${deliveryJson} as ${sql.identifier('delivery')},
  ${pricedLinesJson} as ${sql.identifier('lines')},
  ${taxJson} as ${sql.identifier('tax')},
  nullif(${shortLines('view')}, '[]') as ${sql.identifier('stock')}`;

/** A row of cartDocumentColumns: version, expires_at, body, codes, order, delivery, lines, tax, stock. */
export const documentOf = (row: Row | undefined): CartDocument | undefined =>
  row && {
    version: row[0] as number,
    expiresAt: row[1] as number | null,
    body: row[2] as string,
    codes: row[3] as string,
    order: (row[4] ?? null) as string | null,
    delivery: (row[5] ?? null) as string | null,
    lines: (row[6] ?? null) as string | null,
    tax: (row[7] ?? null) as string | null,
    stock: (row[8] ?? null) as string | null,
  };

/** A cart as the rules see it, from its document (the refusal path only: the JSON is parsed there). */
export function stateOf(document: CartDocument | undefined, caller: Caller): CartState {
  if (document === undefined) return { cart: undefined, lines: [] };
  const parsed = bodyOf(document);
  const lines: LineRecord[] = parsed.items.map((item) => ({
    id: item.id,
    productId: item.product_id,
    name: item.name,
    unitPrice: item.unit_price,
    quantity: item.quantity,
    metadata: canonicalMetadata(item.metadata),
    priceSource: item.price_source,
  }));
  // A cart bound to another customer does not exist for this caller.
  if (!sees(caller, parsed.customer_id)) return { cart: undefined, lines: [] };
  return { cart: { version: document.version, expiresAt: document.expiresAt, status: parsed.status }, lines };
}

/** The cart as a document, read whether or not it is live (the rules judge that). */
export const cartReadBack = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} limit 1`,
);
/**
 * The cart as a document, read back in a change's step, if it exists for
 * the caller: a cart bound to someone else is not even read, so refusing it
 * costs what refusing a cart that does not exist costs.
 */
export const visibleReadBack = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} and ${visibleCart} limit 1`,
);
/** A live cart as a document, if it exists for the caller (sql-rules.ts visibleCart). */
export const readLive = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} and ${live(sql`${slot('now')}`)} and ${visibleCart} limit 1`,
);
const c = (column: AnySQLiteColumn) => qualified('c', column);
/**
 * The id of the customer `customerId`'s open cart (API.md §8): the most
 * recently changed of their live open carts, at `now`; null when none.
 */
export const customerCartId = sql`(select ${c(carts.id)} from ${carts} as ${sql.identifier('c')}
  where ${c(carts.customerId)} = ${slot('customerId')} and ${c(carts.status)} = 'open'
    and ${liveAt(c(carts.expiresAt), sql`${slot('now')}`)}
  order by ${c(carts.updatedAt)} desc, ${c(carts.id)} desc limit 1)`;
/** The customer's open cart as a document. */
export const readCustomerCart = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(customerCartId)}
    where ${cartColumn(carts.id)} = ${customerCartId} limit 1`,
);
