import { asc, sql } from 'drizzle-orm';
import { expired } from '../cart/rules.js';
import type { Db } from './db.js';
import { purgeKeys } from './idempotency.js';
import { cartItems, carts } from './schema.js';
import { cartColumn, sqlTerms } from './sql-rules.js';

export interface PurgeResult {
  carts: number;
  idempotencyKeys: number;
}

/**
 * Deletes expired carts with their lines, and expired idempotency records, in
 * batches of `batchSize` so no statement holds the write lock for long. Stops
 * after `maxBatches` rounds; the next run carries on.
 */
export async function purgeExpired(db: Db, now: number, batchSize = 500, maxBatches = 100): Promise<PurgeResult> {
  const result: PurgeResult = { carts: 0, idempotencyKeys: 0 };
  for (let round = 0; round < maxBatches; round++) {
    // The same ordered, limited set in both statements: the first does not change carts.
    const due = db
      .select({ id: carts.id })
      .from(carts)
      .where(expired(sqlTerms, cartColumn(carts.expiresAt), sqlTerms.num(now)))
      .orderBy(asc(carts.expiresAt))
      .limit(batchSize);
    const [, deleted] = await db.batch([
      db.delete(cartItems).where(sql`${cartItems.cartId} in ${due}`),
      db.delete(carts).where(sql`${carts.id} in ${due}`).returning({ id: carts.id }),
    ]);
    result.carts += deleted.length;
    if (deleted.length < batchSize) break;
  }
  for (let round = 0; round < maxBatches; round++) {
    const deleted = await purgeKeys(db, now, batchSize);
    result.idempotencyKeys += deleted;
    if (deleted < batchSize) break;
  }
  return result;
}
