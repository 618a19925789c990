import { type CartStore, cartStore } from './carts.js';
import type { Db } from './db.js';

/** What the app reads and writes through: the drizzle db and the cart repository over it. */
export interface Store {
  db: Db;
  carts: CartStore;
}

/**
 * The store over a drizzle database. Node builds it once at start; Workers
 * once per isolate and D1 binding.
 *
 * @example
 * const store = storeOver(drizzle(env.DB, { schema }));
 */
export const storeOver = (db: Db): Store => ({ db, carts: cartStore(db) });
