import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { idempotencyKeys } from './schema.js';

/** How long a response is kept for replay (the IETF draft's example, and Stripe's). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this with no response is taken to belong to a request that died. */
export const IN_FLIGHT_TIMEOUT_MS = 60 * 1000;

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

export type Claim = { owner: true } | { owner: false; record: IdempotencyRecord };

const byKey = (scope: string, key: string) => and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

/**
 * Claims a key for a request, atomically: a new key, an expired record or an
 * abandoned claim becomes this request's; otherwise the record there is returned.
 */
export async function claimKey(db: Db, scope: string, key: string, fingerprint: string, now: number): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ scope, key, fingerprint, createdAt: now, expiresAt: now + IDEMPOTENCY_TTL_MS })
      .onConflictDoUpdate({
        target: [idempotencyKeys.scope, idempotencyKeys.key],
        set: {
          fingerprint,
          status: null,
          headers: null,
          body: null,
          createdAt: now,
          expiresAt: now + IDEMPOTENCY_TTL_MS,
        },
        setWhere: sql`${idempotencyKeys.expiresAt} <= ${now} or (${idempotencyKeys.status} is null and ${idempotencyKeys.createdAt} <= ${now - IN_FLIGHT_TIMEOUT_MS})`,
      })
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) return { owner: true };
    const record = await db.select().from(idempotencyKeys).where(byKey(scope, key)).get();
    // Gone between the two statements (purged): claim again.
    if (record) return { owner: false, record };
  }
  throw new Error('could not claim an idempotency key');
}

/** Stores the response of the request that holds the claim. */
export async function completeKey(
  db: Db,
  scope: string,
  key: string,
  response: { status: number; headers: Record<string, string>; body: string },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: response.status, headers: JSON.stringify(response.headers), body: response.body })
    .where(and(byKey(scope, key), sql`${idempotencyKeys.status} is null`));
}

/** Drops a claim whose request stored nothing (refused as malformed, or failed), so a retry runs afresh. */
export async function releaseKey(db: Db, scope: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(byKey(scope, key), sql`${idempotencyKeys.status} is null`));
}

/** Deletes up to `limit` expired records; returns how many. */
export async function purgeKeys(db: Db, now: number, limit: number): Promise<number> {
  const expired = db
    .select({ rowid: sql`rowid` })
    .from(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .limit(limit);
  const deleted = await db
    .delete(idempotencyKeys)
    .where(sql`rowid in ${expired}`)
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}

/** Idempotency keys as a store verb (API.md §3): claim a key, record its answer, or let it go. */
export const idempotencyStore = (db: Db) => ({
  claim: (scope: string, key: string, fingerprint: string, now: number) => claimKey(db, scope, key, fingerprint, now),
  complete: (scope: string, key: string, answer: Parameters<typeof completeKey>[3]) =>
    completeKey(db, scope, key, answer),
  release: (scope: string, key: string) => releaseKey(db, scope, key),
});

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
