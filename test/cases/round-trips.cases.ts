import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Caller } from '../../src/cart/caller.js';
import { NO_TAX, type TaxSetting } from '../../src/cart/tax.js';
import type { DatabaseMemo } from '../../src/data/carts.js';
import type { Db } from '../../src/data/db.js';
import { discounts } from '../../src/data/schema.js';
import { storeOver } from '../../src/data/store.js';

const NOW = Date.UTC(2026, 0, 5);
/** The context of a change to the cart `cartId` by an anonymous buyer at NOW, without reservations. */
const changeAt = (cartId: string) => ({
  cartId,
  now: NOW,
  ttlDays: 30,
  when: {},
  caller: ANONYMOUS,
  reserveMinutes: null,
});
const line = (unitPrice: number) => ({
  productId: null,
  name: `Line ${unitPrice}`,
  unitPrice,
  quantity: 1,
  metadata: '{}',
  priceSource: 'custom' as const,
});

/** A store over `db` whose batches (round trips) are counted, remembering what `memo` holds. */
function counted(db: Db, memo: DatabaseMemo = {}) {
  let batches = 0;
  const wrapped = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'batch') return Reflect.get(target, property, receiver);
      return (...args: Parameters<Db['batch']>) => {
        batches++;
        return target.batch(...args);
      };
    },
  });
  return { store: storeOver(wrapped, undefined, memo), batches: () => batches };
}

/**
 * How many round trips a checkout of a cart with codes takes (API.md §5,
 * §7): one when this process read the cart as it still is (the buyer was
 * shown it), two when it did not or the cart moved since, and the order's
 * discounts are right either way.
 */
export function roundTripCases(db: () => Db) {
  let n = 0;
  async function cartWithCode(
    store: ReturnType<typeof storeOver>,
    code: string,
    max: number | null = null,
    caller: Caller = ANONYMOUS,
  ) {
    n++;
    const id = `crt_roundtrip${String(n).padStart(11, '0')}`;
    await store.discounts.put(
      {
        code,
        kind: 'percentage',
        percentOffBp: 1000,
        amountOff: null,
        minSubtotal: null,
        startsAt: null,
        endsAt: null,
        maxRedemptions: max,
        active: true,
      },
      NOW,
    );
    const customerId = caller.customerId;
    await store.carts.create({ id, currency: 'USD', metadata: '{}', customerId }, [line(1000)], NOW, 30);
    const attached = await store.discounts.attach({
      cartId: id,
      code,
      now: NOW,
      ttlDays: 30,
      when: {},
      caller,
      reserveMinutes: null,
    });
    expect(attached.applied).toBe(true);
    return id;
  }
  const checkout = (
    store: ReturnType<typeof storeOver>,
    cartId: string,
    caller: Caller = ANONYMOUS,
    tax: TaxSetting = NO_TAX,
    inventory: 'none' | 'track' | 'reserve' = 'none',
  ) =>
    store.checkout({
      cartId,
      now: NOW,
      ttlDays: 30,
      when: {},
      prices: 'client',
      trusted: true,
      orderId: `ord_${cartId.slice(4)}`,
      eventId: `evt_${cartId.slice(4)}`,
      source: '/edgecart-test',
      email: null,
      metadata: '{}',
      expectedTotal: null,
      caller,
      tax,
      inventory,
      reserveMinutes: inventory === 'reserve' ? 15 : null,
    });
  const placed = async (outcome: Awaited<ReturnType<typeof checkout>>) => {
    expect(outcome.placed).toBe(true);
    return outcome.placed ? JSON.parse(outcome.order) : undefined;
  };

  describe('round trips of a checkout with codes', () => {
    it('places a cart with a code, as this process last read it, in one batch', async () => {
      const { store, batches } = counted(db());
      const cartId = await cartWithCode(store, 'TRIPONE');
      expect(await store.carts.read(cartId, NOW, ANONYMOUS, false)).toBeDefined();
      const before = batches();
      const order = await placed(await checkout(store, cartId));
      expect(batches() - before).toBe(1);
      expect(order).toMatchObject({ subtotal: 1000, discount_total: 100, total: 900 });
      expect(order.discounts).toEqual([{ code: 'TRIPONE', amount: 100 }]);
    });

    it('keeps the one batch for the owner of a bound cart after another customer tried to check it out', async () => {
      const { store, batches } = counted(db());
      const owner: Caller = { customerId: 'cus_roundtrip_owner', admin: false };
      const cartId = await cartWithCode(store, 'TRIPOWNER', null, owner);
      const intruder = await checkout(store, cartId, { customerId: 'cus_roundtrip_other', admin: false });
      expect(intruder).toMatchObject({ placed: false, refusal: 'cart-not-found', cart: undefined });
      expect(await store.carts.read(cartId, NOW, ANONYMOUS, false)).toBeUndefined();
      const before = batches();
      const order = await placed(await checkout(store, cartId, owner));
      expect(batches() - before).toBe(1);
      expect(order).toMatchObject({ customer_id: 'cus_roundtrip_owner', discount_total: 100, total: 900 });
    });

    it('takes the stock of a tracked line in the same one batch (INVENTORY=track)', async () => {
      const { store, batches } = counted(db());
      const sku = `sku-trip-stock-${Date.now().toString(36)}`;
      const cartId = `crt_${'S'.repeat(18)}${Date.now().toString(36).slice(-4)}`;
      await store.carts.create(
        { id: cartId, currency: 'USD', metadata: '{}', customerId: null },
        [{ ...line(1000), productId: sku, quantity: 2 }],
        NOW,
        30,
      );
      await store.stock.put(sku, 5, undefined, NOW);
      expect(await store.carts.read(cartId, NOW, ANONYMOUS, false)).toBeDefined();
      const before = batches();
      await placed(await checkout(store, cartId, ANONYMOUS, NO_TAX, 'track'));
      expect(batches() - before).toBe(1);
      expect((await store.stock.get(sku, NOW))?.onHand).toBe(3);
    });

    it('takes two batches for a cart this process never read, with the same discounts', async () => {
      const cartId = await cartWithCode(storeOver(db()), 'TRIPTWO');
      const { store, batches } = counted(db());
      const order = await placed(await checkout(store, cartId));
      expect(batches()).toBe(2);
      expect(order).toMatchObject({ subtotal: 1000, discount_total: 100, total: 900 });
    });

    it('works the discounts out again when the cart moved since this process read it', async () => {
      const { store, batches } = counted(db());
      const cartId = await cartWithCode(store, 'TRIPMOVED');
      // Another process (another memory) adds a line after this one read the cart.
      const add = { kind: 'add' as const, line: line(500) };
      const other = storeOver(db());
      const grown = await other.carts.change(changeAt(cartId), add);
      expect(grown.applied).toBe(true);
      const before = batches();
      const order = await placed(await checkout(store, cartId));
      expect(batches() - before).toBe(2);
      expect(order).toMatchObject({ subtotal: 1500, discount_total: 150, total: 1350 });
    });

    it('does not guess from a read that found a code used up: its redemptions may have been given back since', async () => {
      const { store } = counted(db());
      const cartId = await cartWithCode(store, 'TRIPBACK', 1);
      const redemptions = (count: number) =>
        db().update(discounts).set({ redemptions: count }).where(eq(discounts.code, 'TRIPBACK'));
      await redemptions(1);
      const read = await store.carts.read(cartId, NOW, ANONYMOUS, false);
      expect(read?.codes).toContain('TRIPBACK');
      // Given back without touching the definition's version (as a cancelled order's redemption is).
      await redemptions(0);
      const order = await placed(await checkout(store, cartId));
      expect(order).toMatchObject({ subtotal: 1000, discount_total: 100, total: 900 });
      const [row] = await db()
        .select({ redemptions: discounts.redemptions })
        .from(discounts)
        .where(eq(discounts.code, sql`'TRIPBACK'`));
      expect(row?.redemptions).toBe(1);
    });
  });

  describe('round trips of a delivery', () => {
    it('selects a delivery in one batch, with a code as this process last read the cart, and checks out with it in one', async () => {
      const { store, batches } = counted(db());
      const rate = {
        id: 'trip-rate',
        name: 'Trip',
        countries: ['DE'],
        prices: { USD: 700 },
        freeOver: { USD: 5000 },
        minSubtotal: null,
        maxSubtotal: null,
        taxCategory: null,
        active: true,
      };
      await store.shippingRates.put(rate, NOW);
      try {
        const m = changeAt;
        const cartId = await cartWithCode(store, 'TRIPSHIP');
        const plain = `crt_roundtripship${String(n++).padStart(5, '0')}`;
        await store.carts.create(
          { id: plain, currency: 'USD', metadata: '{}', customerId: null },
          [line(2000)],
          NOW,
          30,
        );
        for (const id of [cartId, plain]) {
          const patched = await store.carts.details(m(id), {
            shipping_address: { line1: 'A 1', city: 'Bonn', country: 'DE' },
          });
          expect(patched.applied).toBe(true);
          const before = batches();
          const chosen = await store.carts.selectDelivery(m(id), 'trip-rate');
          expect(chosen.applied).toBe(true);
          expect(batches() - before).toBe(1);
        }
        const before = batches();
        const order = await placed(await checkout(store, plain));
        expect(batches() - before).toBe(1);
        expect(order).toMatchObject({ subtotal: 2000, shipping_total: 700, total: 2700, delivery: { amount: 700 } });
        const last = batches();
        const withCode = await placed(await checkout(store, cartId));
        // The selection left the process's copy of the cart current: its checkout guesses right.
        expect(batches() - last).toBe(1);
        expect(withCode).toMatchObject({ subtotal: 1000, discount_total: 100, shipping_total: 700, total: 1600 });
      } finally {
        // No active rate outlives this test: the other checkouts here need no delivery.
        await store.shippingRates.put({ ...rate, active: false }, NOW);
      }
    });

    it('checks out a taxed cart (two stacked rates, a code, a delivery) as this process read it in one batch; a rate changed since: two, at the new rate', async () => {
      const { store, batches } = counted(db());
      const taxed: TaxSetting = { mode: 'rates', inclusive: false };
      const rate = { id: 'trip-tax-ship', name: 'Trip', countries: ['FR'], prices: { USD: 500 } };
      await store.shippingRates.put(
        { ...rate, freeOver: null, minSubtotal: null, maxSubtotal: null, taxCategory: null, active: true },
        NOW,
      );
      const vat = { id: 'trip-fr-a', name: 'A', country: 'FR', region: null, category: 'standard', rateBp: 1000 };
      await store.taxRates.put(vat, NOW);
      await store.taxRates.put({ ...vat, id: 'trip-fr-b', name: 'B', rateBp: 500 }, NOW);
      try {
        const m = changeAt;
        const ids = [await cartWithCode(store, 'TRIPTAXA'), await cartWithCode(store, 'TRIPTAXB')];
        for (const id of ids) {
          const address = { shipping_address: { line1: 'A 1', city: 'Lyon', country: 'FR' } };
          expect((await store.carts.details(m(id), address)).applied).toBe(true);
          expect((await store.carts.selectDelivery(m(id), 'trip-tax-ship')).applied).toBe(true);
        }
        const before = batches();
        // 1000 − 100 = 900: 90 and 45; the shipping 500: 50 and 25. Total 900 + 500 + 210.
        const order = await placed(await checkout(store, ids[0] as string, ANONYMOUS, taxed));
        expect(batches() - before).toBe(1);
        expect(order).toMatchObject({ discount_total: 100, shipping_total: 500, tax_total: 210, total: 1610 });
        expect(order.items[0].tax_lines.map((line: { amount: number }) => line.amount)).toEqual([90, 45]);
        expect(order.shipping_tax_lines.map((line: { amount: number }) => line.amount)).toEqual([50, 25]);
        await store.taxRates.put({ ...vat, rateBp: 2000 }, NOW);
        const last = batches();
        const moved = await placed(await checkout(store, ids[1] as string, ANONYMOUS, taxed));
        expect(batches() - last).toBe(2);
        expect(moved).toMatchObject({ tax_total: 180 + 45 + 100 + 25, total: 1400 + 350 });
      } finally {
        // No rate outlives this test: the other checkouts here are untaxed and need no delivery.
        await store.shippingRates.remove('trip-tax-ship');
        await store.taxRates.remove('trip-fr-a');
        await store.taxRates.remove('trip-fr-b');
      }
    });

    it('judges a selection again on the cart as it then is when it moved since this process read it', async () => {
      const { store, batches } = counted(db());
      // Up to 1799 of merchandise: the cart read (1000 − 10%) is in the band, the cart now (2000 − 10%) is not.
      const rate = {
        id: 'trip-band',
        name: 'Band',
        countries: ['AT'],
        prices: { USD: 300 },
        freeOver: null,
        minSubtotal: null,
        maxSubtotal: { USD: 1799 },
        taxCategory: null,
        active: true,
      };
      await store.shippingRates.put(rate, NOW);
      try {
        const m = changeAt;
        const cartId = await cartWithCode(store, 'TRIPBAND');
        const patched = await store.carts.details(m(cartId), {
          shipping_address: { line1: 'A 1', city: 'Wien', country: 'AT' },
        });
        expect(patched.applied).toBe(true);
        const other = storeOver(db());
        const grown = await other.carts.change(m(cartId), { kind: 'add', line: line(1000) });
        expect(grown.applied).toBe(true);
        const before = batches();
        const refused = await store.carts.selectDelivery(m(cartId), 'trip-band');
        // The first attempt's discounts were worked out from the cart as read; the step saw it had moved.
        expect(batches() - before).toBe(2);
        expect(refused).toMatchObject({ applied: false, refusal: 'delivery-unavailable' });
        expect(refused.applied ? '' : refused.message).toContain('maximum');
        const added = grown.applied ? (grown.lineId ?? 0) : 0;
        const shrunk = await other.carts.change(m(cartId), { kind: 'remove', lineId: added });
        expect(shrunk.applied).toBe(true);
        const chosen = await store.carts.selectDelivery(m(cartId), 'trip-band');
        expect(chosen.applied).toBe(true);
      } finally {
        await store.shippingRates.put({ ...rate, active: false }, NOW);
      }
    });
  });
}
