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

  it('documents the 413 every DELETE and the event redelivery answer to an oversized body, and the 415 of the latter', async () => {
    const id = await product({ EUR: 100 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id }] })).json;
    const code = freshCode('BIG');
    expect(
      (await call('PUT', `/v1/admin/discounts/${code}`, { kind: 'percentage', percent_off_bp: 100 }, admin)).status,
    ).toBe(201);
    const big = JSON.stringify({ pad: 'x'.repeat(70_000) });
    const json = { 'content-type': 'application/json' };
    for (const [method, path, headers] of [
      ['DELETE', `/v1/carts/${cart.id}`, {}],
      ['DELETE', `/v1/carts/${cart.id}/items`, {}],
      ['DELETE', `/v1/carts/${cart.id}/items/${cart.items[0].id}`, {}],
      ['DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`, {}],
      ['DELETE', `/v1/admin/products/${id}`, admin],
      ['DELETE', `/v1/admin/discounts/${code}`, admin],
      ['POST', '/v1/admin/events/evt_AAAAAAAAAAAAAAAAAAAAAA/redeliver', admin],
    ] as const) {
      // documentedSend holds the answer to the OpenAPI document: an undocumented status fails here.
      const reply = await call(method, path, big, { ...headers, ...json });
      expect(reply.status, `${method} ${path}`).toBe(413);
    }
    const text = await call('POST', '/v1/admin/events/evt_AAAAAAAAAAAAAAAAAAAAAA/redeliver', 'hi', {
      ...admin,
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(415);
    // Nothing was deleted by the refused requests.
    expect((await call('GET', `/v1/carts/${cart.id}`)).json.line_count).toBe(1);
  });

  describe('prices at the cap', () => {
    it('refuses a catalog add that would take the subtotal past 2^53 with 422, at the catalog’s price, and takes one just under', async () => {
      const id = await product({ VND: 1_000_000_000_000 });
      const cart = (await call('POST', '/v1/carts', { currency: 'VND' })).json;
      const over = await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 9008 });
      expect(over.status).toBe(422);
      expect(over.json).toMatchObject({
        type: '/problems/validation-failed',
        errors: [{ path: 'quantity', message: 'The cart subtotal would exceed 9007199254740991.' }],
      });
      const under = await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 9007 });
      expect(under.status).toBe(201);
      expect(under.json).toMatchObject({ subtotal: 9_007_000_000_000_000, version: 2 });
      // Merged into that line, one more is over as well.
      const merged = await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 1 });
      expect(merged.status).toBe(422);
      expect(merged.json.errors).toMatchObject([{ path: 'quantity', message: over.json.errors[0].message }]);
    });

    it('does not reprice a checkout past 2^53: the cart keeps its prices and no order is placed', async () => {
      const id = await product({ VND: 999_000_000_000 });
      const cart = (await call('POST', '/v1/carts', { currency: 'VND', items: [{ product_id: id, quantity: 9010 }] }))
        .json;
      expect(cart.subtotal).toBe(9_000_990_000_000_000);
      await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { VND: 1_000_000_000_000 } }, admin);
      for (let attempt = 0; attempt < 2; attempt++) {
        const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
        expect(refused.status).toBe(409);
        expect(refused.json).toMatchObject({
          type: '/problems/prices-changed',
          errors: [{ path: `items.${cart.items[0].id}`, old_price: 999_000_000_000, new_price: 1_000_000_000_000 }],
        });
        expect(refused.json.detail).toContain('9007199254740991');
      }
      const after = (await call('GET', `/v1/carts/${cart.id}`)).json;
      expect(after).toMatchObject({ version: 1, status: 'open', subtotal: 9_000_990_000_000_000 });
      // Lowering the quantity lets the reprice, and then the order, through.
      const lowered = await call('PATCH', `/v1/carts/${cart.id}/items/${cart.items[0].id}`, { quantity: 9000 });
      expect(lowered.status).toBe(200);
      expect((await call('POST', `/v1/carts/${cart.id}/checkout`, {})).status).toBe(409);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"3"' });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ subtotal: 9_000_000_000_000_000, total: 9_000_000_000_000_000 });
    });
  });

  it('merges a repriced line into its twin, so the retry with the new ETag checks out', async () => {
    const id = await product({ EUR: 1000 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id, quantity: 2 }] })).json;
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 1200 } }, admin);
    const second = await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 3 });
    expect(second.status).toBe(201);
    expect(second.json.items.map((line: { unit_price: number }) => line.unit_price)).toEqual([1000, 1200]);
    const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"2"' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      type: '/problems/prices-changed',
      errors: [{ path: `items.${cart.items[0].id}`, old_price: 1000, new_price: 1200 }],
    });
    const repriced = (await call('GET', `/v1/carts/${cart.id}`)).json;
    expect(repriced).toMatchObject({ version: 3, subtotal: 6000, line_count: 1 });
    // The line already at the catalog's price takes the repriced one's quantity.
    expect(repriced.items).toMatchObject([
      { id: second.json.items[1].id, product_id: id, unit_price: 1200, quantity: 5 },
    ]);
    const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"3"' });
    expect(placed.status).toBe(201);
    expect(placed.json).toMatchObject({ subtotal: 6000, items: [{ unit_price: 1200, quantity: 5, line_total: 6000 }] });
  });

  it('names the group a reprice cannot make one line, whichever other product is repriced after it', async () => {
    const big = await product({ EUR: 10 });
    const small = await product({ EUR: 10 });
    const cart = (
      await call('POST', '/v1/carts', {
        currency: 'EUR',
        items: [
          { product_id: big, quantity: 6000 },
          { product_id: small, quantity: 1 },
        ],
      })
    ).json;
    await call('PUT', `/v1/admin/products/${big}`, { name: `Name ${big}`, prices: { EUR: 12 } }, admin);
    await call('PUT', `/v1/admin/products/${small}`, { name: `Name ${small}`, prices: { EUR: 11 } }, admin);
    expect((await call('POST', `/v1/carts/${cart.id}/items`, { product_id: big, quantity: 4001 })).status).toBe(201);
    const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('etag')).toBe('"2"');
    expect(refused.json.detail).toContain('would together hold more than 10000');
    expect(refused.json.errors.map((error: { path: string }) => error.path)).toEqual(
      cart.items.map((line: { id: number }) => `items.${line.id}`),
    );
  });

  it('leaves a repriced line apart from its twin when together they would pass 10,000, until the buyer lowers one', async () => {
    const id = await product({ EUR: 10 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id, quantity: 6000 }] }))
      .json;
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 12 } }, admin);
    expect((await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 4001 })).status).toBe(201);
    const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(refused.status).toBe(409);
    expect(refused.json.type).toBe('/problems/prices-changed');
    // Nothing could be repriced, so nothing moved: the same ETag, and words that say what to do.
    expect(refused.headers.get('etag')).toBe('"2"');
    expect(refused.json.detail).toBe(
      'Prices changed since these lines were added, but at the catalog’s prices lines of one product would together hold more than 10000 (they become one line): nothing was repriced. Lower a quantity and check out again.',
    );
    const still = (await call('GET', `/v1/carts/${cart.id}`)).json;
    expect(still.version).toBe(2);
    expect(
      still.items.map((line: { quantity: number; unit_price: number }) => [line.quantity, line.unit_price]),
    ).toEqual([
      [6000, 10],
      [4001, 12],
    ]);
    const twin = still.items[1].id;
    expect((await call('PATCH', `/v1/carts/${cart.id}/items/${twin}`, { quantity: 4000 })).status).toBe(200);
    expect((await call('POST', `/v1/carts/${cart.id}/checkout`, {})).status).toBe(409);
    const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(placed.status).toBe(201);
    expect(placed.json.items).toMatchObject([{ quantity: 10_000, unit_price: 12 }]);
  });

  it('refuses a reprice that would give two lines of one product 18,000 together, so the subtotal never passes the cap', async () => {
    const id = await product({ VND: 1 });
    const cart = (await call('POST', '/v1/carts', { currency: 'VND', items: [{ product_id: id, quantity: 9000 }] }))
      .json;
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { VND: 1_000_000_000_000 } }, admin);
    expect((await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 9000 })).status).toBe(201);
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { VND: 500_000_000_000 } }, admin);
    const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('etag')).toBe('"2"');
    const after = (await call('GET', `/v1/carts/${cart.id}`)).json;
    expect(after).toMatchObject({ version: 2, subtotal: 9_000_000_000_009_000, line_count: 2 });
    expect(after.items.map((line: { unit_price: number }) => line.unit_price)).toEqual([1, 1_000_000_000_000]);
  });

  it('merges two stale lines that the catalog now prices alike into one, so one retry checks out', async () => {
    const id = await product({ EUR: 100 });
    const cart = (await call('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id, quantity: 2 }] })).json;
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 130 } }, admin);
    expect((await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id, quantity: 3 })).status).toBe(201);
    await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 120 } }, admin);
    const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
    expect(refused.status).toBe(409);
    expect(refused.json.errors).toMatchObject([
      { old_price: 100, new_price: 120 },
      { old_price: 130, new_price: 120 },
    ]);
    const repriced = (await call('GET', `/v1/carts/${cart.id}`)).json;
    expect(repriced).toMatchObject({ version: 3, line_count: 1, subtotal: 600 });
    expect(repriced.items).toMatchObject([{ id: cart.items[0].id, unit_price: 120, quantity: 5 }]);
    const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"3"' });
    expect(placed.status).toBe(201);
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

/**
 * On an app with PRICES=catalog and no ADMIN_TOKEN: the classic surface is
 * open to anyone, so the prices its lines carry are the browser's.
 */
export function openClassicHardeningCases(fetcher: Fetcher) {
  it('refuses to check out the default cart while it holds classic lines, since anyone set their prices', async () => {
    const made = await send(fetcher, 'POST', '/api/cart-items/', {
      product_name: 'Mug',
      product_price: '0.01',
      product_quantity: 1,
    });
    expect(made.status).toBe(200);
    const refused = await documentedSend(fetcher, 'POST', '/v1/carts/default/checkout', {});
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      type: '/problems/prices-untrusted',
      detail:
        'The cart holds lines priced through the classic surface, which is open while ADMIN_TOKEN is unset: their prices are not the catalog’s, and they cannot be checked out.',
    });
    const cart = await documentedSend(fetcher, 'GET', '/v1/carts/default');
    expect(cart.json).toMatchObject({ status: 'open', line_count: 1 });
    // Emptied, the cart is just empty again: the refusal was about those lines alone.
    expect((await send(fetcher, 'DELETE', `/api/cart-items/${made.json.data.id}`)).status).toBe(200);
    expect((await documentedSend(fetcher, 'POST', '/v1/carts/default/checkout', {})).json.type).toBe(
      '/problems/cart-empty',
    );
  });
}
