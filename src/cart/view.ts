import type { CartRecord } from './model.js';

/** A stored cart as the views read it. */
export interface StoredCart extends CartRecord {
  id: string;
  currency: string;
  metadata: string;
  createdAt: number;
  updatedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A cart in the admin listing: its totals, computed in SQL, without its lines. */
export function cartSummaryView(cart: StoredCart, totals: { lineCount: number; itemCount: number; subtotal: number }) {
  return {
    id: cart.id,
    currency: cart.currency,
    version: cart.version,
    line_count: totals.lineCount,
    item_count: totals.itemCount,
    subtotal: totals.subtotal,
    created_at: iso(cart.createdAt),
    updated_at: iso(cart.updatedAt),
    expires_at: cart.expiresAt === null ? null : iso(cart.expiresAt),
  };
}

/** A cart's strong entity tag: its version. */
export const etagOf = (cart: Pick<CartRecord, 'version'>) => `"${cart.version}"`;
