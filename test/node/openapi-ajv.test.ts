import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { send } from '../cases/client.js';
import { nodeApp, nodeAppsOverOne } from './app.js';

/*
 * An independent check of the OpenAPI document: the delivery and tax flows' replies
 * validated by Ajv (a JSON Schema 2020-12 validator the service does not use)
 * against the schemas /openapi.json serves, not the zod schemas it is built from.
 */

const token = 'node-openapi-ajv-admin-token';
const { fetcher } = await nodeApp({ ADMIN_TOKEN: token });
const admin = { authorization: `Bearer ${token}` };
interface Documented {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
}
const doc = (await (await fetcher('/openapi.json')).json()) as Documented;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc as object, 'openapi.json');
const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Validates a reply against the schema the document gives its route, status and media type. */
function expectValid(method: string, route: string, reply: { status: number; headers: Headers; json: unknown }) {
  const media = (reply.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const documented = doc.paths[route]?.[method]?.responses?.[String(reply.status)]?.content?.[media];
  expect(documented, `${method} ${route} ${reply.status} ${media} is documented`).toBeDefined();
  const validate = ajv.getSchema(
    `openapi.json#/${pointer('paths', route, method, 'responses', String(reply.status), 'content', media, 'schema')}`,
  );
  expect(validate, 'the schema compiles').toBeDefined();
  const ok = validate?.(reply.json);
  expect(ok ? [] : validate?.errors, `${method} ${route} ${reply.status}`).toEqual([]);
}

describe('the delivery flow, held to /openapi.json by Ajv', () => {
  it('validates the cart, the selection, its refusal, the checkout and the order', async () => {
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      send(fetcher, method, path, body, headers);
    const rate = await call(
      'PUT',
      '/v1/admin/shipping-rates/ajv-standard',
      { name: 'Standard', countries: ['DE'], prices: { EUR: 499 }, free_over: { EUR: 100_000 } },
      admin,
    );
    expectValid('put', '/v1/admin/shipping-rates/{rateId}', rate);
    const created = await call('POST', '/v1/carts', {
      currency: 'EUR',
      items: [{ product_id: 'sku-mug', name: 'Mug', unit_price: 1299, quantity: 2 }],
    });
    expectValid('post', '/v1/carts', created);
    const id = created.json.id as string;
    const addressed = await call('PATCH', `/v1/carts/${id}`, {
      email: 'ada@example.com',
      shipping_address: { line1: 'Marktplatz 1', city: 'München', country: 'DE' },
    });
    expectValid('patch', '/v1/carts/{cartId}', addressed);
    expect(addressed.json.delivery_options).toEqual([{ id: 'ajv-standard', name: 'Standard', amount: 499 }]);
    const refused = await call('PUT', `/v1/carts/${id}/delivery`, { option_id: 'ajv-nothing' });
    expect(refused.status).toBe(422);
    expectValid('put', '/v1/carts/{cartId}/delivery', refused);
    const required = await call('POST', `/v1/carts/${id}/checkout`, {});
    expect(required.status).toBe(409);
    expectValid('post', '/v1/carts/{cartId}/checkout', required);
    const chosen = await call('PUT', `/v1/carts/${id}/delivery`, { option_id: 'ajv-standard' });
    expect(chosen.status).toBe(200);
    expectValid('put', '/v1/carts/{cartId}/delivery', chosen);
    const changed = await call('POST', `/v1/carts/${id}/checkout`, { expected_total: 1 });
    expect(changed.status).toBe(409);
    expectValid('post', '/v1/carts/{cartId}/checkout', changed);
    const placed = await call('POST', `/v1/carts/${id}/checkout`, { expected_total: 3097 });
    expect(placed.status).toBe(201);
    expectValid('post', '/v1/carts/{cartId}/checkout', placed);
    expectValid('get', '/v1/orders/{orderId}', await call('GET', `/v1/orders/${placed.json.id}`));
    expectValid('get', '/v1/carts/{cartId}', await call('GET', `/v1/carts/${id}`));
    const cleared = await call(
      'DELETE',
      `/v1/carts/${(await call('POST', '/v1/carts', { currency: 'EUR' })).json.id}/delivery`,
    );
    expectValid('delete', '/v1/carts/{cartId}/delivery', cleared);
  });
});

describe('the tax flow, held to /openapi.json by Ajv', () => {
  it('validates tax rates, a taxed cart, a tax set by a tax service, its refusals, and the taxed order', async () => {
    const apps = await nodeAppsOverOne({
      rates: { ADMIN_TOKEN: token, TAX: 'rates' },
      external: { ADMIN_TOKEN: token, TAX: 'external' },
    });
    const call = (
      app: keyof typeof apps,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => send(apps[app], method, path, body, headers);
    const rate = await call(
      'rates',
      'PUT',
      '/v1/admin/tax-rates/ajv-vat',
      { name: 'VAT', country: 'FR', category: 'standard', rate_bp: 2000 },
      admin,
    );
    expectValid('put', '/v1/admin/tax-rates/{rateId}', rate);
    expectValid(
      'get',
      '/v1/admin/tax-rates',
      await call('rates', 'GET', '/v1/admin/tax-rates?limit=1', undefined, admin),
    );
    const items = [{ product_id: 'sku-cup', name: 'Cup', unit_price: 1000, quantity: 1 }];
    const taxed = await call('rates', 'POST', '/v1/carts', { currency: 'EUR', items });
    const pending = await call('rates', 'POST', `/v1/carts/${taxed.json.id}/checkout`, {});
    expect(pending.status).toBe(409);
    expectValid('post', '/v1/carts/{cartId}/checkout', pending);
    const addressed = await call('rates', 'PATCH', `/v1/carts/${taxed.json.id}`, {
      shipping_address: { line1: '1 rue de la Paix', city: 'Paris', country: 'FR' },
    });
    expectValid('patch', '/v1/carts/{cartId}', addressed);
    expect(addressed.json).toMatchObject({ tax_total: 200, tax_status: 'ready', total: 1200 });
    const placed = await call('rates', 'POST', `/v1/carts/${taxed.json.id}/checkout`, {});
    expect(placed.status).toBe(201);
    expectValid('post', '/v1/carts/{cartId}/checkout', placed);
    const external = await call('external', 'POST', '/v1/carts', { currency: 'EUR', items });
    const lines = {
      items: [{ id: external.json.items[0].id, tax_lines: [{ name: 'Sales tax', rate_bp: 500, amount: 50 }] }],
    };
    const required = await call('external', 'PUT', `/v1/carts/${external.json.id}/tax`, lines, admin);
    expect(required.status).toBe(428);
    expectValid('put', '/v1/carts/{cartId}/tax', required);
    const set = await call('external', 'PUT', `/v1/carts/${external.json.id}/tax`, lines, {
      ...admin,
      'if-match': '"1"',
    });
    expect(set.status).toBe(200);
    expectValid('put', '/v1/carts/{cartId}/tax', set);
    const mismatch = await call(
      'external',
      'PUT',
      `/v1/carts/${external.json.id}/tax`,
      { items: [] },
      { ...admin, 'if-match': '"2"' },
    );
    expect(mismatch.status).toBe(422);
    expectValid('put', '/v1/carts/{cartId}/tax', mismatch);
  });
});
