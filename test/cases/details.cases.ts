import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };
const UNSET_ADDRESS = {
  name: null,
  company: null,
  line1: null,
  line2: null,
  city: null,
  region: null,
  postal_code: null,
  country: null,
  phone: null,
};
const munich = { line1: 'Marktplatz 1', city: 'München', country: 'de', region: 'de-by', postal_code: '80331' };

/**
 * Cart details (API.md §10): a JSON Merge Patch of e-mail, note, attributes
 * and addresses, applied whole or not at all, on an app with PRICES=client.
 */
export function detailsCases(fetcher: Fetcher) {
  // Every reply is held to the OpenAPI document.
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const newCart = async () => {
    const cart = await call('POST', '/v1/carts', {
      currency: 'EUR',
      items: [{ product_id: 'sku-1', name: 'Mug', unit_price: 1200 }],
    });
    expect(cart.status).toBe(201);
    return cart.json.id as string;
  };
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    call('PATCH', `/v1/carts/${id}`, body, { ...MERGE_PATCH, ...headers });
  const read = async (id: string) => (await call('GET', `/v1/carts/${id}`)).json;
  const paths = (reply: { json: { errors?: Array<{ path: string }> } }) =>
    (reply.json.errors ?? []).map((error) => error.path).sort();

  describe('cart details', () => {
    it('shows a new cart without details, and takes e-mail, note, attributes and an address in one patch', async () => {
      const id = await newCart();
      expect(await read(id)).toMatchObject({
        email: null,
        note: null,
        attributes: {},
        shipping_address: null,
        billing_address: null,
      });
      const changed = await patch(id, {
        email: 'ada@example.com',
        note: 'Ring twice',
        attributes: { gift: 'yes' },
        shipping_address: munich,
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe('"2"');
      expect(changed.json).toMatchObject({
        version: 2,
        email: 'ada@example.com',
        note: 'Ring twice',
        attributes: { gift: 'yes' },
        // Every field shown, null where unset; codes in upper case.
        shipping_address: { ...UNSET_ADDRESS, ...munich, country: 'DE', region: 'DE-BY' },
        billing_address: null,
        subtotal: 1200,
      });
      expect(await read(id)).toEqual(changed.json);
    });

    it('merges as RFC 7396 says: one address field changes, null removes, a member left out stays', async () => {
      const id = await newCart();
      await patch(id, { email: 'ada@example.com', attributes: { gift: 'yes', wrap: 'red' }, shipping_address: munich });
      const moved = await patch(id, {
        shipping_address: { city: 'Augsburg', postal_code: null },
        attributes: { gift: null },
      });
      expect(moved.status).toBe(200);
      expect(moved.json).toMatchObject({
        version: 3,
        email: 'ada@example.com',
        attributes: { wrap: 'red' },
        shipping_address: {
          line1: 'Marktplatz 1',
          city: 'Augsburg',
          postal_code: null,
          country: 'DE',
          region: 'DE-BY',
        },
      });
      const cleared = await patch(id, { email: null, attributes: null, shipping_address: null });
      expect(cleared.json).toMatchObject({ version: 4, email: null, attributes: {}, shipping_address: null });
    });

    it('takes application/json too, and {} changes nothing', async () => {
      const id = await newCart();
      const plain = await call('PATCH', `/v1/carts/${id}`, { note: 'plain JSON' });
      expect([plain.status, plain.json.note, plain.json.version]).toEqual([200, 'plain JSON', 2]);
      const nothing = await patch(id, {});
      expect([nothing.status, nothing.json.version, nothing.headers.get('etag')]).toEqual([200, 2, '"2"']);
    });

    it('refuses an address that would lose a required field, listing it, and changes nothing', async () => {
      const id = await newCart();
      expect((await patch(id, { shipping_address: munich })).status).toBe(200);
      const refused = await patch(id, { shipping_address: { line1: null, city: null }, note: 'kept out' });
      expect(refused.status).toBe(422);
      expect(refused.json.type).toBe('/problems/validation-failed');
      expect(paths(refused)).toEqual(['shipping_address.city', 'shipping_address.line1']);
      expect(await read(id)).toMatchObject({ version: 2, note: null, shipping_address: { city: 'München' } });
      // A first address must bring every required field.
      const partial = await patch(id, { billing_address: { city: 'Bonn' } });
      expect(paths(partial)).toEqual(['billing_address.country', 'billing_address.line1']);
    });

    it('refuses a new country that the kept region is not of', async () => {
      const id = await newCart();
      await patch(id, { shipping_address: munich });
      const refused = await patch(id, { shipping_address: { country: 'FR' } });
      expect(refused.status).toBe(422);
      expect(paths(refused)).toEqual(['shipping_address.region']);
      const both = await patch(id, { shipping_address: { country: 'FR', region: 'FR-IDF' } });
      expect(both.json.shipping_address).toMatchObject({ country: 'FR', region: 'FR-IDF' });
    });

    it('lists every offending path of a bad patch in one 422', async () => {
      const id = await newCart();
      const bad = await patch(id, {
        email: 'not an address',
        note: 'n'.repeat(1001),
        attributes: { gift: 42 },
        shipping_address: { line1: 'x', city: 'c'.repeat(201), country: 'XX' },
        billing_address: { line1: 'x', city: 'Bonn', country: 'DE', region: 'US-CA' },
        colour: 'blue',
      });
      expect(bad.status).toBe(422);
      expect(paths(bad)).toEqual([
        '',
        'attributes.gift',
        'billing_address.region',
        'email',
        'note',
        'shipping_address.city',
        'shipping_address.country',
      ]);
      expect((await read(id)).version).toBe(1);
    });

    it('holds at the limits: 1,000 characters of note, 200 of a field, 20 attributes with those already there', async () => {
      const id = await newCart();
      const atLimit = await patch(id, {
        note: '🛒'.repeat(1000),
        shipping_address: { line1: 'l'.repeat(200), city: 'Bonn', country: 'DE' },
        attributes: Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`k${i}`, 'v'.repeat(500)])),
      });
      expect(atLimit.status).toBe(200);
      expect((await patch(id, { attributes: { k19: 'v' } })).status).toBe(200);
      const over = await patch(id, { attributes: { k20: 'v' } });
      expect([over.status, paths(over)]).toEqual([422, ['attributes']]);
      // Replacing one key with another keeps the count.
      expect((await patch(id, { attributes: { k0: null, k20: 'v' } })).status).toBe(200);
      expect((await patch(id, { attributes: { k1: 'v'.repeat(501) } })).status).toBe(422);
    });

    it('refuses a body that is not an object, and another media type', async () => {
      const id = await newCart();
      for (const body of ['[]', '"x"', '3', 'null']) {
        const reply = await call('PATCH', `/v1/carts/${id}`, body, MERGE_PATCH);
        expect(reply.status).toBe(422);
      }
      expect((await call('PATCH', `/v1/carts/${id}`, 'note=x', { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await read(id)).version).toBe(1);
    });

    it('records the details on the order, the checkout body’s e-mail winning over the cart’s', async () => {
      const id = await newCart();
      await patch(id, {
        email: 'cart@example.com',
        note: 'Leave at the door',
        attributes: { gift: 'yes' },
        shipping_address: munich,
        billing_address: { line1: 'Hauptstr. 2', city: 'Bonn', country: 'DE', name: 'Ada' },
      });
      const order = await call('POST', `/v1/carts/${id}/checkout`, {});
      expect(order.status).toBe(201);
      expect(order.json).toMatchObject({
        email: 'cart@example.com',
        note: 'Leave at the door',
        attributes: { gift: 'yes' },
        shipping_address: { ...UNSET_ADDRESS, ...munich, country: 'DE', region: 'DE-BY' },
        billing_address: { ...UNSET_ADDRESS, line1: 'Hauptstr. 2', city: 'Bonn', country: 'DE', name: 'Ada' },
      });
      expect((await call('GET', `/v1/orders/${order.json.id}`)).json).toEqual(order.json);
      const other = await newCart();
      await patch(other, { email: 'cart@example.com' });
      const told = await call('POST', `/v1/carts/${other}/checkout`, { email: 'body@example.com' });
      expect(told.json).toMatchObject({
        email: 'body@example.com',
        note: null,
        attributes: {},
        shipping_address: null,
        billing_address: null,
      });
    });

    it('takes each form of precondition in turn: none, one tag, two, *, and If-None-Match', async () => {
      const id = await newCart();
      const steps: Array<[Record<string, string>, number]> = [
        [{ 'if-match': '"1"' }, 200],
        [{}, 200],
        [{ 'if-match': '"9", "3"' }, 200],
        [{ 'if-match': '*' }, 200],
        [{ 'if-none-match': '"5"' }, 412],
        [{ 'if-none-match': '"9"' }, 200],
        [{ 'if-match': '"1", "2"' }, 412],
      ];
      for (const [index, [headers, status]] of steps.entries()) {
        const reply = await patch(id, { note: `step ${index}` }, headers);
        expect([index, reply.status]).toEqual([index, status]);
      }
      expect(await read(id)).toMatchObject({ version: 6, note: 'step 5' });
    });

    it('honours If-Match, and refuses a checked-out cart with its order id', async () => {
      const id = await newCart();
      const stale = await patch(id, { note: 'late' }, { 'if-match': '"7"' });
      expect([stale.status, stale.headers.get('etag')]).toEqual([412, '"1"']);
      expect((await patch(id, { note: 'on time' }, { 'if-match': '"1"' })).status).toBe(200);
      const order = await call('POST', `/v1/carts/${id}/checkout`, {});
      expect(order.status).toBe(201);
      const closed = await patch(id, { note: 'after' });
      expect(closed.status).toBe(409);
      expect(closed.json).toMatchObject({ type: '/problems/cart-closed', order_id: order.json.id });
      expect((await patch('crt_AAAAAAAAAAAAAAAAAAAAAA', { note: 'x' })).status).toBe(404);
    });
  });
}
