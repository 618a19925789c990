import type { CartItemRow, CartRow } from '../db/schema.js';
import type { Metadata } from './rules.js';

const iso = (ms: number) => new Date(ms).toISOString();

function lineView(row: CartItemRow) {
  return {
    id: row.id,
    product_id: row.productId,
    name: row.name,
    unit_price: row.unitPrice,
    quantity: row.quantity,
    line_total: row.unitPrice * row.quantity,
    metadata: JSON.parse(row.metadata) as Metadata,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

/** The cart resource of API.md §2; every total computed here from the stored lines. */
export function cartView(cart: CartRow, lines: CartItemRow[]) {
  const items = lines.map(lineView);
  let subtotal = 0;
  let itemCount = 0;
  for (const item of items) {
    subtotal += item.line_total;
    itemCount += item.quantity;
  }
  return {
    id: cart.id,
    currency: cart.currency,
    version: cart.version,
    items,
    line_count: items.length,
    item_count: itemCount,
    subtotal,
    metadata: JSON.parse(cart.metadata) as Metadata,
    ...timestamps(cart),
  };
}

const timestamps = (cart: CartRow) => ({
  created_at: iso(cart.createdAt),
  updated_at: iso(cart.updatedAt),
  expires_at: cart.expiresAt === null ? null : iso(cart.expiresAt),
});

/** A cart in the admin listing: its totals, computed in SQL, without its lines. */
export function cartSummaryView(cart: CartRow, totals: { lineCount: number; itemCount: number; subtotal: number }) {
  return {
    id: cart.id,
    currency: cart.currency,
    version: cart.version,
    line_count: totals.lineCount,
    item_count: totals.itemCount,
    subtotal: totals.subtotal,
    ...timestamps(cart),
  };
}

export type CartView = ReturnType<typeof cartView>;
export const etagOf = (cart: CartRow) => `"${cart.version}"`;
