import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

/**
 * A three-decimal currency end to end: `fetcher` reaches an app whose default
 * cart is in KWD (fils: 1/1000 of a dinar).
 */
export function threeDecimalCases(fetcher: Fetcher) {
  describe('a 3-decimal currency (KWD) through HTTP', () => {
    it('takes classic prices to the fils and shows them back as dinars', async () => {
      const posted = await send(fetcher, 'POST', '/api/cart-items/', {
        product_name: 'dates',
        product_price: '1.234',
        product_quantity: 3,
      });
      expect(posted.status).toBe(200);
      expect(posted.json.data).toMatchObject({ product_price: 1.234, product_quantity: 3 });
      const cart = (await send(fetcher, 'GET', '/v1/carts/default')).json;
      expect(cart.currency).toBe('KWD');
      const line = cart.items.find((item: { id: number }) => item.id === posted.json.data.id);
      expect(line).toMatchObject({ unit_price: 1234, line_total: 3702 });
    });

    it('refuses a fourth decimal, as it refuses a third in USD', async () => {
      const reply = await send(fetcher, 'POST', '/api/cart-items/', { product_name: 'dates', product_price: '1.2345' });
      expect(reply.status).toBe(400);
      expect(reply.json.data.product_price).toEqual(['Ensure that there are no more than 3 decimal places.']);
    });

    it('keeps /v1 amounts in fils, exact', async () => {
      const created = await send(fetcher, 'POST', '/v1/carts', {
        currency: 'KWD',
        items: [{ product_id: 'dates', name: 'Dates', unit_price: 1234, quantity: 3 }],
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ currency: 'KWD', subtotal: 3702, item_count: 3 });
    });
  });
}
