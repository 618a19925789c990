import { describe, expect, it } from 'vitest';
import type { Fetcher } from './client.js';
import { discountHelpers } from './discounts.cases.js';

/**
 * Discount arithmetic at nothing (API.md §7): codes over lines that have
 * nothing left to take, on an app with PRICES=client and the admin token
 * `token`.
 */
export function discountEdgeCases(fetcher: Fetcher, token: string) {
  const { call, percent, fixed, cartWith, attach } = discountHelpers(fetcher, token);

  describe('discount codes over nothing', () => {
    it('takes nothing from a cart whose lines are free, and places its order at 0', async () => {
      const cart = await cartWith([{ unit_price: 0, quantity: 3 }, { unit_price: 0 }]);
      const ten = await percent(1000);
      const five = await fixed({ USD: 500 });
      expect((await attach(cart.id, ten)).status).toBe(200);
      const both = await attach(cart.id, five);
      expect(both.status).toBe(200);
      expect(both.json).toMatchObject({
        subtotal: 0,
        discount_total: 0,
        total: 0,
        discount_codes: [
          { code: ten, applicable: true, amount: 0 },
          { code: five, applicable: true, amount: 0 },
        ],
      });
      for (const item of both.json.items) expect(item.discount_allocations).toEqual([]);
      const order = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(order.status).toBe(201);
      expect(order.json).toMatchObject({ subtotal: 0, discount_total: 0, total: 0 });
    });

    it('works discounts out from the lines as stored, whatever keys a line’s metadata holds', async () => {
      // Metadata that, written into the cart's JSON, looks like a line's keys: it is the buyer's, not a line.
      const cart = await cartWith([
        { unit_price: 100, metadata: { id: 99, product_id: 'forged' } },
        { unit_price: 100, metadata: { a: 1, line_total: 1_000_000_000, metadata: 0 } },
      ]);
      const ten = await percent(1000);
      const attached = await attach(cart.id, ten);
      expect(attached.status).toBe(200);
      expect(attached.json).toMatchObject({ subtotal: 200, discount_total: 20, total: 180 });
      expect(attached.json.items.map((item: { discount_allocations: unknown }) => item.discount_allocations)).toEqual([
        [{ code: ten, amount: 10 }],
        [{ code: ten, amount: 10 }],
      ]);
      const order = await call('POST', `/v1/carts/${cart.id}/checkout`, { expected_total: 180 });
      expect(order.status).toBe(201);
      expect(order.json).toMatchObject({ subtotal: 200, discount_total: 20, total: 180 });
    });

    it('lets a code after a 100% one take nothing, since nothing is left of any line', async () => {
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 2000 }]);
      const all = await percent(10_000);
      const more = await fixed({ USD: 500 });
      expect((await attach(cart.id, all)).status).toBe(200);
      const reply = await attach(cart.id, more);
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({
        subtotal: 3000,
        discount_total: 3000,
        total: 0,
        discount_codes: [
          { code: all, applicable: true, amount: 3000 },
          { code: more, applicable: true, amount: 0 },
        ],
      });
      expect(reply.json.items.map((item: { discount_allocations: unknown }) => item.discount_allocations)).toEqual([
        [{ code: all, amount: 1000 }],
        [{ code: all, amount: 2000 }],
      ]);
    });

    it('says why a checked-out cart takes no more changes', async () => {
      const cart = await cartWith([{ unit_price: 100 }]);
      expect((await call('POST', `/v1/carts/${cart.id}/checkout`, {})).status).toBe(201);
      const code = await percent(1000);
      const refused = await attach(cart.id, code);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/cart-closed',
        detail: 'The cart has been checked out; it takes no more changes.',
      });
    });
  });
}
