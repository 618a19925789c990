import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/cart/limits.js';
import { BODY_LIMIT } from '../../src/platform/body-limit.js';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };
const MISSING = `crt_${'Z'.repeat(22)}`;
const problemOf = (status: number, slug: string, title: string, detail: string) => ({
  type: `/problems/${slug}`,
  title,
  status,
  detail,
});
const notFound = (detail: string) => problemOf(404, 'not-found', 'Not found', detail);
const NO_CART = notFound('No cart with that id (it may have expired).');
const NO_LINE = notFound('No line with that id in this cart.');

/**
 * What /v1 says when it refuses (API.md §2, honest errors): the whole problem
 * body, words included, so a refusal that loses its explanation or names the
 * wrong rule fails here. `open` reaches an app without ADMIN_TOKEN, `guarded`
 * one whose ADMIN_TOKEN is `token`.
 */
export function problemWordsCases(open: Fetcher, guarded: Fetcher, token: string) {
  const call = async (
    fetcher: Fetcher,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const newCart = async (body: unknown = {}) => (await call(open, 'POST', '/v1/carts', body)).json;

  describe('the words of every /v1 refusal', () => {
    it('names a missing cart, whether its id is well formed or not', async () => {
      for (const [method, path, body] of [
        ['GET', `/v1/carts/${MISSING}`, undefined],
        ['GET', '/v1/carts/not-a-cart', undefined],
        ['DELETE', `/v1/carts/${MISSING}`, undefined],
        ['POST', `/v1/carts/${MISSING}/items`, tee],
        ['PATCH', `/v1/carts/${MISSING}/items/1`, { quantity: 2 }],
        ['PATCH', `/v1/carts/${MISSING}/items/1`, {}],
        ['DELETE', `/v1/carts/${MISSING}/items`, undefined],
        ['DELETE', '/v1/carts/not-a-cart/items', undefined],
      ] as const) {
        const reply = await call(open, method, path, body);
        expect([reply.status, reply.json], `${method} ${path}`).toEqual([404, NO_CART]);
      }
    });

    it('names a missing line, whether its id is well formed or not', async () => {
      const cart = await newCart({ items: [tee] });
      for (const [method, path, body] of [
        ['PATCH', `/v1/carts/${cart.id}/items/999999`, { quantity: 2 }],
        ['PATCH', `/v1/carts/${cart.id}/items/999999`, {}],
        ['PATCH', `/v1/carts/${cart.id}/items/abc`, { quantity: 2 }],
        ['DELETE', `/v1/carts/${cart.id}/items/999999`, undefined],
        ['DELETE', `/v1/carts/${cart.id}/items/abc`, undefined],
      ] as const) {
        const reply = await call(open, method, path, body);
        expect([reply.status, reply.json], `${method} ${path}`).toEqual([404, NO_LINE]);
      }
      expect((await call(open, 'GET', `/v1/carts/${cart.id}`)).json.version).toBe(1);
    });

    it('gives the current ETag and version with a failed precondition, even on a change of nothing', async () => {
      const cart = await newCart({ items: [tee] });
      const line = cart.items[0].id;
      for (const body of [{ quantity: 3 }, {}]) {
        const reply = await call(open, 'PATCH', `/v1/carts/${cart.id}/items/${line}`, body, { 'if-match': '"9"' });
        expect(reply.status).toBe(412);
        expect(reply.headers.get('etag')).toBe('"1"');
        expect(reply.json).toEqual(
          problemOf(412, 'precondition-failed', 'Precondition failed', 'The cart is at ETag "1"; nothing changed.'),
        );
      }
      const matching = await call(open, 'PATCH', `/v1/carts/${cart.id}/items/${line}`, {}, { 'if-match': '"1"' });
      expect([matching.status, matching.headers.get('etag'), matching.json.version]).toEqual([200, '"1"', 1]);
    });

    it('names the field of a limit refusal, at its place in a list of items', async () => {
      const big = { ...tee, quantity: LIMITS.quantityMax - 1 };
      const created = await call(open, 'POST', '/v1/carts', { items: [big, { ...tee, quantity: 2 }] });
      const merged = `Merged into its line the quantity would be ${LIMITS.quantityMax + 1}; at most ${LIMITS.quantityMax}.`;
      expect([created.status, created.json]).toEqual([
        422,
        {
          ...problemOf(422, 'validation-failed', 'Validation failed', merged),
          errors: [{ path: 'items.1.quantity', message: merged }],
        },
      ]);
      const cart = await newCart({ items: [big] });
      const added = await call(open, 'POST', `/v1/carts/${cart.id}/items`, { ...tee, quantity: 2 });
      expect(added.json).toEqual({
        ...problemOf(422, 'validation-failed', 'Validation failed', merged),
        errors: [{ path: 'quantity', message: merged }],
      });
    });

    it('says a full cart is full, naming no field', async () => {
      const lines = Array.from({ length: LIMITS.linesPerCart }, (_, i) => ({ ...tee, product_id: `p-${i}` }));
      const cart = await newCart({ items: lines });
      const reply = await call(open, 'POST', `/v1/carts/${cart.id}/items`, tee);
      expect([reply.status, reply.json]).toEqual([
        409,
        problemOf(
          409,
          'cart-full',
          'Cart full',
          `The cart already holds ${LIMITS.linesPerCart} lines, the most it may.`,
        ),
      ]);
    });

    it('says the default cart is permanent', async () => {
      const reply = await call(open, 'DELETE', '/v1/carts/default');
      expect([reply.status, reply.json]).toEqual([
        409,
        problemOf(409, 'conflict', 'Conflict', 'The default cart cannot be deleted; empty it instead.'),
      ]);
    });

    it('empties an empty cart without complaint', async () => {
      const cart = await newCart();
      const reply = await call(open, 'DELETE', `/v1/carts/${cart.id}/items`);
      expect([reply.status, reply.json.items, reply.json.version]).toEqual([200, [], 1]);
    });

    it.each([
      ['If-Match', 'DELETE', 'W/4'],
      ['If-None-Match', 'GET', '4'],
    ] as const)('says which condition header is malformed: %s %s %s', async (header, method, value) => {
      const cart = await newCart();
      const reply = await call(open, method, `/v1/carts/${cart.id}`, undefined, { [header]: value });
      expect([reply.status, reply.json]).toEqual([
        400,
        {
          ...problemOf(400, 'validation-failed', 'Validation failed', `The ${header} header is malformed.`),
          errors: [{ path: header, message: 'Expected * or a list of entity tags such as "4"' }],
        },
      ]);
    });

    it('says a condition header with too many tags is too long', async () => {
      const cart = await newCart();
      const tags = Array.from({ length: LIMITS.conditionTags + 1 }, (_, i) => `"${i + 1}"`).join(', ');
      const reply = await call(open, 'GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': tags });
      expect([reply.status, reply.json]).toEqual([
        400,
        {
          ...problemOf(400, 'validation-failed', 'Validation failed', 'The If-None-Match header is too long.'),
          errors: [{ path: 'If-None-Match', message: `At most ${LIMITS.conditionTags} entity tags` }],
        },
      ]);
    });

    it('says what is wrong with a body that cannot be read', async () => {
      const big = await call(open, 'POST', '/v1/carts', { metadata: { note: 'x'.repeat(BODY_LIMIT) } });
      expect([big.status, big.json]).toEqual([
        413,
        problemOf(413, 'body-too-large', 'Body too large', `The body is over ${BODY_LIMIT} bytes.`),
      ]);
      const plain = await send(open, 'POST', '/v1/carts', 'not json', { 'content-type': 'text/plain' });
      expect([plain.status, plain.json]).toEqual([
        415,
        problemOf(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'),
      ]);
      const broken = await call(open, 'POST', '/v1/carts', '{"currency":');
      expect([broken.status, broken.json]).toEqual([
        400,
        problemOf(400, 'malformed-json', 'Malformed JSON', 'The body is not valid JSON.'),
      ]);
    });

    it('names the methods a route takes, and a route that is not there', async () => {
      const put = await call(open, 'PUT', '/v1/carts', {});
      expect([put.status, put.json]).toEqual([
        405,
        problemOf(405, 'method-not-allowed', 'Method not allowed', 'PUT is not allowed here; use POST.'),
      ]);
      const nowhere = await send(open, 'GET', '/v1/nowhere');
      expect([nowhere.status, nowhere.json]).toEqual([404, notFound('No such route.')]);
    });

    it('says the admin routes are closed while no ADMIN_TOKEN is set', async () => {
      const reply = await call(open, 'GET', '/v1/admin/carts', undefined, { authorization: `Bearer ${token}` });
      expect([reply.status, reply.json]).toEqual([
        403,
        problemOf(403, 'forbidden', 'Forbidden', 'Admin routes are disabled until ADMIN_TOKEN is set.'),
      ]);
    });

    it('says which token a guarded route needs, and that a wrong one is wrong', async () => {
      const unauthorized = (detail: string) => problemOf(401, 'unauthorized', 'Unauthorized', detail);
      const cart = await call(guarded, 'GET', '/v1/carts/default');
      expect([cart.status, cart.json]).toEqual([
        401,
        unauthorized('The default cart needs Authorization: Bearer <admin token>.'),
      ]);
      const admin = await call(guarded, 'GET', '/v1/admin/carts');
      expect([admin.status, admin.json]).toEqual([401, unauthorized('Send Authorization: Bearer <admin token>.')]);
      for (const path of ['/v1/carts/default', '/v1/admin/carts']) {
        const wrong = await call(guarded, 'GET', path, undefined, { authorization: `Bearer ${token}-wrong` });
        expect([wrong.status, wrong.json], path).toEqual([
          403,
          problemOf(403, 'forbidden', 'Forbidden', 'The admin token is not valid.'),
        ]);
      }
    });
  });
}
