import { expect, it } from 'vitest';
import { createCartClient } from '../../src/client.js';
import type { Fetcher } from './client.js';

/** The exported typed client, driven against the service. */
export function typedClientCases(fetcher: Fetcher) {
  it('creates a cart, adds a line and reads totals through the typed client', async () => {
    const api = createCartClient('http://edgecart.test', {
      fetch: (input: Request | string | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : input.toString());
        return fetcher(`${url.pathname}${url.search}`, init);
      },
    });
    const created = await api.v1.carts.$post({ header: {}, json: { currency: 'EUR' } });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const cart = await created.json();
    const added = await api.v1.carts[':cartId'].items.$post({
      param: { cartId: cart.id },
      header: {},
      json: { product_id: 'sku-1', name: 'Thing', unit_price: 1250, quantity: 3 },
    });
    expect(added.status).toBe(201);
    const read = await api.v1.carts[':cartId'].$get({ param: { cartId: cart.id }, header: {} });
    if (read.status !== 200) throw new Error(`unexpected ${read.status}`);
    const body = await read.json();
    expect(body.subtotal).toBe(3750);
    expect(body.items[0]?.line_total).toBe(3750);
    // Who buys and where it goes: a merge patch, typed like every other body.
    const patched = await api.v1.carts[':cartId'].$patch({
      param: { cartId: cart.id },
      header: {},
      json: { email: 'ada@example.com', shipping_address: { line1: 'Markt 1', city: 'Bonn', country: 'de' } },
    });
    if (patched.status !== 200) throw new Error(`unexpected ${patched.status}`);
    const withAddress = await patched.json();
    expect([withAddress.email, withAddress.shipping_address?.country, withAddress.version]).toEqual([
      'ada@example.com',
      'DE',
      3,
    ]);
    // The cart's delivery options (none while the store has no rate), and a selection that is not one of them.
    expect([withAddress.delivery_options, withAddress.delivery, withAddress.shipping_total]).toEqual([[], null, 0]);
    const chosen = await api.v1.carts[':cartId'].delivery.$put({
      param: { cartId: cart.id },
      header: {},
      json: { option_id: 'standard' },
    });
    expect(chosen.status).toBe(422);
    if (chosen.status === 422) expect((await chosen.json()).type).toBe('/problems/delivery-unavailable');
    // Tax (TAX=none here): typed fields, and the tax service's route refusing what this service does not take.
    expect([withAddress.tax_status, withAddress.tax_total, withAddress.items[0]?.tax_lines]).toEqual([
      'not_applicable',
      0,
      [],
    ]);
    const taxed = await api.v1.carts[':cartId'].tax.$put({
      param: { cartId: cart.id },
      header: { 'if-match': `"${withAddress.version}"` },
      json: { items: withAddress.items.map((item) => ({ id: item.id, tax_lines: [] })) },
    });
    // Admin-only: this client sends no admin token.
    expect([401, 403]).toContain(taxed.status);
    // Checkout, and the order's lifecycle fields, typed; moving it is the admin's.
    const placed = await api.v1.carts[':cartId'].checkout.$post({ param: { cartId: cart.id }, header: {}, json: {} });
    if (placed.status !== 201) throw new Error(`unexpected ${placed.status}`);
    const order = await placed.json();
    expect([order.status, order.version, order.status_history.map((h) => h.status), order.payment_reference]).toEqual([
      'placed',
      1,
      ['placed'],
      null,
    ]);
    const moved = await api.v1.admin.orders[':orderId'].$patch({
      param: { orderId: order.id },
      header: {},
      json: { status: 'paid' },
    });
    expect([401, 403]).toContain(moved.status);
  });
}
