import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

/** Shipping rates as an admin resource (API.md §10), on an app with the admin token `token`. */
export function shippingRateCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  let serial = 0;
  const freshId = () => `rate-${Date.now().toString(36)}-${serial++}`;
  const standard = { name: 'Standard (3–5 days)', countries: ['de', 'AT'], prices: { EUR: 499, USD: 599 } };
  const paths = (reply: { json: { errors?: Array<{ path: string }> } }) =>
    (reply.json.errors ?? []).map((error) => error.path).sort();

  describe('shipping rates', () => {
    it('creates a rate, replaces it whole (version + 1), reads it, and deletes it', async () => {
      const id = freshId();
      const created = await call('PUT', `/v1/admin/shipping-rates/${id}`, { ...standard, free_over: { EUR: 5000 } });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.json).toMatchObject({
        id,
        name: 'Standard (3–5 days)',
        countries: ['AT', 'DE'],
        prices: { EUR: 499, USD: 599 },
        free_over: { EUR: 5000 },
        min_subtotal: null,
        max_subtotal: null,
        tax_category: null,
        active: true,
        version: 1,
      });
      const replaced = await call('PUT', `/v1/admin/shipping-rates/${id}`, {
        id,
        name: 'Everywhere',
        countries: ['*'],
        prices: { EUR: 999 },
        min_subtotal: { EUR: 1000 },
        max_subtotal: { EUR: 100_000 },
        tax_category: 'standard',
        active: false,
      });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toMatchObject({
        countries: ['*'],
        prices: { EUR: 999 },
        free_over: null,
        min_subtotal: { EUR: 1000 },
        max_subtotal: { EUR: 100_000 },
        tax_category: 'standard',
        active: false,
        version: 2,
        created_at: created.json.created_at,
      });
      expect((await call('GET', `/v1/admin/shipping-rates/${id}`)).json).toEqual(replaced.json);
      expect((await call('DELETE', `/v1/admin/shipping-rates/${id}`)).status).toBe(204);
      expect((await call('GET', `/v1/admin/shipping-rates/${id}`)).status).toBe(404);
      expect((await call('DELETE', `/v1/admin/shipping-rates/${id}`)).status).toBe(404);
    });

    it('lists every rate in id order, a page at a time', async () => {
      const prefix = `list-${Date.now().toString(36)}-`;
      for (const n of [3, 1, 2]) await call('PUT', `/v1/admin/shipping-rates/${prefix}${n}`, standard);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
        const page = await call('GET', `/v1/admin/shipping-rates${query}`);
        expect(page.status).toBe(200);
        expect(page.json.shipping_rates.length).toBeLessThanOrEqual(2);
        seen.push(...page.json.shipping_rates.map((rate: { id: string }) => rate.id));
        cursor = page.json.next_cursor;
      } while (cursor !== null);
      expect(seen.filter((id) => id.startsWith(prefix))).toEqual([`${prefix}1`, `${prefix}2`, `${prefix}3`]);
      expect([...seen].sort()).toEqual(seen);
    });

    it('lists every offending field of a bad rate in one 422, and writes nothing', async () => {
      const id = freshId();
      const bad = await call('PUT', `/v1/admin/shipping-rates/${id}`, {
        name: '',
        countries: ['DE', 'XX', '*'],
        prices: { EUR: -1, ZZZ: 5 },
        free_over: {},
      });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual(['countries', 'countries.1', 'free_over', 'name', 'prices.EUR', 'prices.ZZZ']);
      expect((await call('GET', `/v1/admin/shipping-rates/${id}`)).status).toBe(404);
      expect(paths(await call('PUT', `/v1/admin/shipping-rates/${id}`, { ...standard, id: 'other' }))).toEqual(['id']);
      expect(paths(await call('PUT', '/v1/admin/shipping-rates/bad%20id', standard))).toEqual(['rateId']);
      expect(paths(await call('PUT', `/v1/admin/shipping-rates/${id}`, { ...standard, countries: [] }))).toEqual([
        'countries',
      ]);
    });

    it('answers only to the admin token', async () => {
      expect((await call('GET', '/v1/admin/shipping-rates', undefined, {})).status).toBe(401);
      const wrong = { authorization: 'Bearer not-the-token' };
      expect((await call('PUT', `/v1/admin/shipping-rates/${freshId()}`, standard, wrong)).status).toBe(403);
    });
  });
}
