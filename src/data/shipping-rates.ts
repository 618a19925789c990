import type { Db } from './db.js';
import { amountsJson, keyedStore } from './key-order.js';
import { shippingRates } from './schema.js';

/** A shipping rate as it is written (API.md §10); amounts by ISO 4217 code, countries in upper case. */
export interface ShippingRateInput {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes, or `['*']`: everywhere. */
  countries: string[];
  prices: Record<string, number>;
  freeOver: Record<string, number> | null;
  minSubtotal: Record<string, number> | null;
  maxSubtotal: Record<string, number> | null;
  taxCategory: string | null;
  active: boolean;
}

export type ShippingRateRow = typeof shippingRates.$inferSelect;

/**
 * Shipping rates (API.md §10), the admin's: created or replaced whole by id
 * (version + 1 on a replace), read, listed in id order, deleted (a cart that
 * selected one shows its delivery as not applicable). Carts read them where
 * they are shown and checked out.
 *
 * @example
 * await shippingRateStore(db).put({ id: 'standard-eu', name: 'Standard', countries: ['DE'], prices: { EUR: 499 }, … }, now);
 */
export function shippingRateStore(db: Db) {
  const store = keyedStore(db, shippingRates, 'a shipping rate');
  return {
    ...store,
    /** Creates or replaces a rate, and reads it back in the same step. */
    put: (input: ShippingRateInput, at: number) =>
      store.put({
        id: input.id,
        name: input.name,
        countries: JSON.stringify([...input.countries].sort()),
        prices: amountsJson(input.prices),
        freeOver: amountsJson(input.freeOver),
        minSubtotal: amountsJson(input.minSubtotal),
        maxSubtotal: amountsJson(input.maxSubtotal),
        taxCategory: input.taxCategory,
        active: input.active,
        createdAt: at,
        updatedAt: at,
      }),
  };
}

export type ShippingRateStore = ReturnType<typeof shippingRateStore>;
