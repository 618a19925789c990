import { expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/cart/caller.js';
import type { Db } from '../../src/data/db.js';
import { purgeExpired } from '../../src/data/purge.js';
import { events, idempotencyKeys } from '../../src/data/schema.js';
import { storeOver } from '../../src/data/store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10);
const EVENTS = { source: '/edgecart-test', retentionDays: 7 };

/** A cart of one line made at T0 that expires a day later. */
const expiringCart = (db: Db, id: string) => {
  const line = {
    productId: 'p-1',
    name: 'Line',
    unitPrice: 100,
    quantity: 1,
    metadata: '{}',
    priceSource: 'custom' as const,
  };
  return storeOver(db).carts.create({ id, currency: 'USD', metadata: '{}', customerId: null }, [line], T0, 1);
};

/**
 * The purge works in batches (API.md §3): `batchSize` rows a round, at most
 * `maxBatches` rounds a run, the next run carrying on; it counts what it
 * removed. `db` is a database of this file's own (the purge takes every
 * expired row there is).
 */
export function purgeBatchCases(db: () => Db) {
  it('purges in rounds of batchSize, stops after maxBatches, counts what it removed, and the next run carries on', async () => {
    const store = storeOver(db());
    for (let i = 0; i < 5; i++) {
      await expiringCart(db(), `crt_purgebatch${String(i).padStart(8, '0')}`);
      await db()
        .insert(events)
        .values({
          id: `evt_purgebatch${i}`,
          type: 'order.placed',
          body: '{}',
          status: 'delivered',
          attempts: 1,
          nextAttemptAt: T0 - 30 * DAY,
          createdAt: T0 - 30 * DAY,
          deliveredAt: T0 - 30 * DAY,
        });
      await db()
        .insert(idempotencyKeys)
        .values({ scope: 'purge-test', key: `k${i}`, fingerprint: 'f', createdAt: T0 - 2 * DAY, expiresAt: T0 - DAY });
    }
    const at = T0 + 2 * DAY;
    const run = () => purgeExpired(db(), at, 2, 1, EVENTS);
    // One round of two a run: 2, 2, 1, then nothing.
    expect(await run()).toEqual({ carts: 2, events: 2, idempotencyKeys: 2 });
    expect(await run()).toEqual({ carts: 2, events: 2, idempotencyKeys: 2 });
    expect(await run()).toEqual({ carts: 1, events: 1, idempotencyKeys: 1 });
    expect(await run()).toEqual({ carts: 0, events: 0, idempotencyKeys: 0 });
    for (let i = 0; i < 5; i++)
      expect(
        await store.carts.read(`crt_purgebatch${String(i).padStart(8, '0')}`, T0, ANONYMOUS, false),
      ).toBeUndefined();
    // Each expired cart that held lines left its cart.expired behind, with the configured source.
    const expired = await db().select().from(events);
    expect(expired.filter((event) => event.type === 'cart.expired')).toHaveLength(5);
    expect(
      expired.every((event) => event.type !== 'cart.expired' || JSON.parse(event.body).source === '/edgecart-test'),
    ).toBe(true);
  });

  it('purges everything due in one run when the rounds allow, round after round', async () => {
    for (let i = 0; i < 5; i++) await expiringCart(db(), `crt_purgeall0${String(i).padStart(9, '0')}`);
    expect(await purgeExpired(db(), T0 + 2 * DAY, 2, 100, EVENTS)).toEqual({ carts: 5, events: 0, idempotencyKeys: 0 });
  });
}
