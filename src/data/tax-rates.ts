import type { TaxRate } from '../cart/tax.js';
import type { Db } from './db.js';
import { keyedStore } from './key-order.js';
import { taxRates } from './schema.js';

/** A tax rate as it is written (API.md §11): the rules' own shape, country and region in upper case. */
export type TaxRateInput = TaxRate;

export type TaxRateRow = typeof taxRates.$inferSelect;

/**
 * Tax rates (API.md §11), the admin's: created or replaced whole by id
 * (version + 1 on a replace), read, listed in id order, deleted. Carts read
 * the rates of their address's country where they are shown and checked out.
 *
 * @example
 * await taxRateStore(db).put({ id: 'de-vat', name: 'VAT 19%', country: 'DE', region: null, category: 'standard', rateBp: 1900 }, now);
 */
export function taxRateStore(db: Db) {
  const store = keyedStore(db, taxRates, 'a tax rate');
  return {
    ...store,
    /** Creates or replaces a rate, and reads it back in the same step. */
    put: (input: TaxRateInput, at: number) => store.put({ ...input, createdAt: at, updatedAt: at }),
  };
}

export type TaxRateStore = ReturnType<typeof taxRateStore>;
