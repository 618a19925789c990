import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { send } from '../cases/client.js';
import { nodeApp } from './app.js';

/*
 * An independent check of the OpenAPI document: the delivery flow's replies
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
