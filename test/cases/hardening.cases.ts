import { describe, expect, it } from 'vitest';
import { documentedSend, freshSku } from './catalog.cases.js';
import { type Fetcher, send } from './client.js';
import { freshCode } from './discounts.cases.js';

/**
 * Refusals an attacker's read of both runtimes found missing or wrong, on an
 * app with PRICES=catalog and the admin token `token`: each was a 500, a
 * silent drop or a leak before its fix.
 */
export function hardeningCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const product = async (prices: Record<string, number>, id = freshSku('hd')) => {
    expect((await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices }, admin)).status).toBe(201);
    return id;
  };

  describe('keys named __proto__ in amount maps', () => {
    const refusedAt = (reply: { status: number; json: { type: string; errors: { path: string }[] } }, path: string) => {
      expect(reply.status).toBe(422);
      expect(reply.json.type).toBe('/problems/validation-failed');
      expect(reply.json.errors.map((error) => error.path)).toContain(path);
    };

    it('refuses one in a product’s prices (PUT, JSON import, NDJSON import) rather than dropping it', async () => {
      const id = freshSku('proto');
      const prices = '{"EUR": 100, "__proto__": 5}';
      refusedAt(
        await send(fetcher, 'PUT', `/v1/admin/products/${id}`, `{"name": "Mug", "prices": ${prices}}`, admin),
        'prices.__proto__',
      );
      expect((await call('GET', `/v1/admin/products/${id}`, undefined, admin)).status).toBe(404);
      const line = `{"id": "${id}", "name": "Mug", "prices": ${prices}}`;
      refusedAt(await send(fetcher, 'POST', '/v1/admin/products/import', `[${line}]`, admin), '0.prices.__proto__');
      refusedAt(
        await send(fetcher, 'POST', '/v1/admin/products/import', `${line}\n`, {
          ...admin,
          'content-type': 'application/x-ndjson',
        }),
        '0.prices.__proto__',
      );
      expect((await call('GET', `/v1/admin/products/${id}`, undefined, admin)).status).toBe(404);
    });

    it('refuses one in a discount code’s amount_off and min_subtotal', async () => {
      for (const [field, body] of [
        ['amount_off', '{"kind": "fixed", "amount_off": {"EUR": 100, "__proto__": 5}}'],
        ['min_subtotal', '{"kind": "percentage", "percent_off_bp": 1000, "min_subtotal": {"__proto__": 5}}'],
      ] as const) {
        const code = freshCode('PROTO');
        refusedAt(await send(fetcher, 'PUT', `/v1/admin/discounts/${code}`, body, admin), `${field}.__proto__`);
        expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(404);
      }
    });
  });

  it('holds a product named "import" to the 64 KiB body limit: only the import itself takes 5 MiB', async () => {
    const big = JSON.stringify({ name: 'Mug', prices: { EUR: 100 }, metadata: { pad: 'x'.repeat(70_000) } });
    const reply = await call('PUT', '/v1/admin/products/import', big, { ...admin, 'content-type': 'application/json' });
    expect(reply.status).toBe(413);
    expect(reply.json.type).toBe('/problems/body-too-large');
  });

  it('lists at most 100 of a body’s invalid fields and says how many there are', async () => {
    const items = Array.from({ length: 20_000 }, () => 1);
    const reply = await call('POST', '/v1/carts', { items });
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toHaveLength(100);
    expect(reply.json.errors[0]).toMatchObject({ path: 'items.0' });
    expect(reply.json.errors[99]).toMatchObject({ path: 'items.99' });
    expect(reply.json.detail).toBe('The request body has 20000 invalid fields; the first 100 are listed.');
    expect(reply.text.length).toBeLessThan(20_000);
    // At the cap, every one is listed.
    const hundred = await call('POST', '/v1/carts', { items: items.slice(0, 100) });
    expect(hundred.json.errors).toHaveLength(100);
    expect(hundred.json.detail).toBe('The request body has 100 invalid fields.');
    const over = await call('POST', '/v1/carts', { items: items.slice(0, 101) });
    expect(over.json.errors).toHaveLength(100);
    expect(over.json.detail).toBe('The request body has 101 invalid fields; the first 100 are listed.');
  });

  it('answers PATCH {} on a line of a checked-out cart 409 cart-closed with the order id, as every other change', async () => {
    const id = await product({ EUR: 100 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id }] })).json;
    const order = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(order.status).toBe(201);
    const line = cart.items[0].id;
    for (const ifMatch of [{}, { 'if-match': '"1"' }]) {
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${line}`, {}, ifMatch);
      expect(reply.status).toBe(409);
      expect(reply.json).toMatchObject({ type: '/problems/cart-closed', order_id: order.json.id });
    }
  });

  it('answers PATCH {} with a stale If-Match 412 with the cart’s ETag', async () => {
    const id = await product({ EUR: 100 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id }] })).json;
    const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${cart.items[0].id}`, {}, { 'if-match': '"7"' });
    expect(reply.status).toBe(412);
    expect(reply.headers.get('etag')).toBe('"1"');
  });
}

/** On an app with PRICES=client: a line names its name and price, and every missing or wrong one is listed. */
export function clientPriceHardeningCases(fetcher: Fetcher) {
  it('lists both a wrong unit_price and a missing name of an added line', async () => {
    const cart = (await documentedSend(fetcher, 'POST', '/v1/carts', { currency: 'EUR' })).json;
    for (const [path, prefix] of [
      [`/v1/carts/${cart.id}/items`, ''],
      ['/v1/carts', 'items.0.'],
    ] as const) {
      const line = { product_id: 'ok', unit_price: 'x' };
      const reply = await documentedSend(fetcher, 'POST', path, prefix === '' ? line : { items: [line] });
      expect(reply.status, path).toBe(422);
      expect(reply.json.errors.map((error: { path: string }) => error.path).sort(), path).toEqual([
        `${prefix}name`,
        `${prefix}unit_price`,
      ]);
    }
  });
}
