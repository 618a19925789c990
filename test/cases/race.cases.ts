import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

const N = 100;

/** Concurrent writers to one cart lose nothing and overshoot no limit. */
export function raceCases(fetcher: Fetcher) {
  describe('concurrent writers', () => {
    it(`loses no update: ${N} concurrent adds of one product end at quantity ${N}, version +${N}`, {
      timeout: 60_000,
    }, async () => {
      const cart = (await send(fetcher, 'POST', '/v1/carts', {})).json;
      const replies = await Promise.all(
        Array.from({ length: N }, () =>
          send(fetcher, 'POST', `/v1/carts/${cart.id}/items`, {
            product_id: 'sku-race',
            name: 'Race',
            unit_price: 100,
            quantity: 1,
          }),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(N - 1);
      const after = (await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).json;
      expect(after.items).toHaveLength(1);
      expect(after.items[0].quantity).toBe(N);
      expect(after.version).toBe(1 + N);
      expect(after.subtotal).toBe(100 * N);
      // Every reply carried a distinct version: no two writes saw the same state.
      expect(new Set(replies.map((r) => r.json.version)).size).toBe(N);
    });

    it(`stops exactly at the line limit: ${N} concurrent new lines into a cart of 200`, {
      timeout: 60_000,
    }, async () => {
      const items = Array.from({ length: 200 }, (_, i) => ({ product_id: `base-${i}`, name: 'Base', unit_price: 1 }));
      const cart = (await send(fetcher, 'POST', '/v1/carts', { items })).json;
      const replies = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          send(fetcher, 'POST', `/v1/carts/${cart.id}/items`, { product_id: `new-${i}`, name: 'New', unit_price: 1 }),
        ),
      );
      const created = replies.filter((r) => r.status === 201).length;
      const full = replies.filter((r) => r.status === 409 && r.json.type === '/problems/cart-full').length;
      expect(created).toBe(50);
      expect(full).toBe(N - 50);
      const after = (await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).json;
      expect(after.line_count).toBe(250);
      expect(after.version).toBe(1 + 50);
    });
  });
}
