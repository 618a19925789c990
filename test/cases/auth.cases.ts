import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

/** The classic surface behind ADMIN_TOKEN; `fetcher` reaches an app configured with `token`. */
export function classicAuthCases(fetcher: Fetcher, token: string) {
  describe('ADMIN_TOKEN on the classic surface', () => {
    const body = { product_name: 'guarded', product_price: 1 };

    it('answers 401 with WWW-Authenticate when no token is sent', async () => {
      const reply = await send(fetcher, 'GET', '/api/cart-items/');
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      expect(reply.json).toEqual({
        status: 'error',
        data: { detail: 'Authentication credentials were not provided.' },
      });
    });

    it('answers 403 to a wrong token and stores nothing', async () => {
      const reply = await send(fetcher, 'POST', '/api/cart-items', body, { authorization: `Bearer ${token}x` });
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual({ status: 'error', data: { detail: 'Invalid token.' } });
      expect(reply.text).not.toContain(token);
      const list = await send(fetcher, 'GET', '/api/cart-items/', undefined, { authorization: `Bearer ${token}` });
      expect(list.json.data).not.toContainEqual(expect.objectContaining({ product_name: 'guarded' }));
    });

    it('serves every route with the right token', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const created = await send(fetcher, 'POST', '/api/cart-items/', body, auth);
      expect(created.status).toBe(200);
      const id = created.json.data.id;
      expect((await send(fetcher, 'GET', `/api/cart-items/${id}`, undefined, auth)).status).toBe(200);
      expect((await send(fetcher, 'PATCH', `/api/cart-items/${id}/`, { product_quantity: 2 }, auth)).status).toBe(200);
      expect((await send(fetcher, 'DELETE', `/api/cart-items/${id}`, undefined, auth)).status).toBe(200);
    });

    it.each([
      ['another scheme before Bearer', (t: string) => `Basic Bearer ${t}`],
      ['words after the token', (t: string) => `Bearer ${t} extra`],
      ['no space after Bearer', (t: string) => `Bearer${t}`],
    ])('takes %s as no token: 401', async (_, header) => {
      const reply = await send(fetcher, 'GET', '/api/cart-items/', undefined, { authorization: header(token) });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    });

    it.each([
      ['bearer in lower case', (t: string) => `bearer ${t}`],
      ['two spaces after Bearer', (t: string) => `Bearer  ${t}`],
    ])('accepts %s', async (_, header) => {
      const reply = await send(fetcher, 'GET', '/api/cart-items/', undefined, { authorization: header(token) });
      expect(reply.status).toBe(200);
    });

    it('leaves /healthz open', async () => {
      expect((await send(fetcher, 'GET', '/healthz')).status).toBe(200);
    });

    it('leaves every route of a cart other than the default one to whoever holds its id', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      expect(cart.status).toBe(201);
      const line = { product_id: 'sku-open', name: 'Open', unit_price: 100 };
      const answers = [
        await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`),
        await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, line),
        await send(fetcher, 'PATCH', `/v1/carts/${cart.json.id}/items/0`, { quantity: 2 }),
        await send(fetcher, 'DELETE', `/v1/carts/${cart.json.id}/items`),
        await send(fetcher, 'DELETE', `/v1/carts/${cart.json.id}`),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 201, 404, 200, 204]);
    });
  });
}
