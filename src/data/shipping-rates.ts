import { eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { amountsJson, keyPage } from './key-order.js';
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
 * (version + 1 on a replace), read, listed in id order, deleted. Carts read
 * them where they are shown and checked out.
 *
 * @example
 * await shippingRateStore(db).put({ id: 'standard-eu', name: 'Standard', countries: ['DE'], prices: { EUR: 499 }, … }, now);
 */
export function shippingRateStore(db: Db) {
  return {
    /** Creates or replaces a rate, and reads it back in the same step. */
    async put(input: ShippingRateInput, at: number): Promise<{ created: boolean; row: ShippingRateRow }> {
      const values = {
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
      };
      const { id: _id, createdAt: _createdAt, ...replaced } = values;
      const [before, , read] = await db.batch([
        db.select({ n: sql<number>`count(*)` }).from(shippingRates).where(eq(shippingRates.id, input.id)),
        db
          .insert(shippingRates)
          .values(values)
          .onConflictDoUpdate({
            target: shippingRates.id,
            set: { ...replaced, version: sql`${shippingRates.version} + 1` },
          }),
        db.select().from(shippingRates).where(eq(shippingRates.id, input.id)),
      ]);
      const row = read[0];
      if (row === undefined) throw new Error('a shipping rate just written could not be read back');
      return { created: Number(before[0]?.n) === 0, row };
    },

    get: (id: string): Promise<ShippingRateRow | undefined> =>
      db.select().from(shippingRates).where(eq(shippingRates.id, id)).get(),

    /** A page of rates in id order, after the id `after`. */
    list: (limit: number, after?: string) => keyPage(db, shippingRates, shippingRates.id, limit, after),

    /** Deletes a rate; a cart that selected it shows its delivery as not applicable. */
    async remove(id: string): Promise<boolean> {
      const gone = await db.delete(shippingRates).where(eq(shippingRates.id, id)).returning({ id: shippingRates.id });
      return gone.length > 0;
    },
  };
}

export type ShippingRateStore = ReturnType<typeof shippingRateStore>;
