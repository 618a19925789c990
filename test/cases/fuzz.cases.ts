import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fetcher, type Reply, send } from './client.js';
import { expectDocumented } from './documented.js';

/** Fixed, so a failure reproduces; fast-check prints the counterexample and its path. */
export const FUZZ_SEED = 20261127;
const RUNS = 120;

/** What an error body must never carry: stack frames, SQL, file paths. */
const LEAK = /\bat [\w.<>]+ \(|SQLITE|\bselect\b.*\bfrom\b|\binsert into\b|node_modules|\/work\/|\/src\/|\.ts:\d+/i;

const unicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '🛒'.repeat(201),
    'é'.repeat(300),
    'a'.repeat(70),
    '\u202E',
    '0',
    '-0',
    '1e400',
    'NaN',
  ),
);
const hugeNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 1e21, 2 ** 63, 1e-7, 0.1 + 0.2),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    unicode,
    hugeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(unicode, tie('any'), { maxKeys: 4 }),
  ),
})).any;

const validAdd = { product_id: 'sku-fuzz', name: 'Fuzz', unit_price: 150, quantity: 2, metadata: { k: 'v' } };
const validClassic = { product_name: 'fuzz', product_price: '1.50', product_quantity: 2 };

/** The documented error shapes, and no leaks. */
function expectSafe(reply: Reply, surface: 'v1' | 'classic') {
  expect(reply.status, reply.text).toBeLessThan(500);
  expect(reply.text).not.toMatch(LEAK);
  if (reply.status < 400 || reply.status === 405) return;
  if (surface === 'v1') {
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({
      type: expect.stringMatching(/^\/problems\//),
      title: expect.any(String),
      status: reply.status,
    });
  } else {
    expect(reply.json).toMatchObject({ status: 'error', data: expect.any(Object) });
  }
}

/**
 * Property tests over both surfaces: arbitrary and almost-valid bodies, odd
 * paths, methods and headers. Never a 5xx or a leak, always the documented
 * error shape, nothing stored by a refused request, totals equal to the lines.
 */
export function fuzzCases(fetcher: Fetcher) {
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const newCart = async () => (await call('POST', '/v1/carts', { items: [{ ...validAdd, product_id: 'seed' }] })).json;
  const expectTotals = (cart: {
    items: Array<{ unit_price: number; quantity: number; line_total: number }>;
    subtotal: number;
    item_count: number;
  }) => {
    expect(cart.subtotal).toBe(cart.items.reduce((s, l) => s + l.line_total, 0));
    expect(cart.item_count).toBe(cart.items.reduce((s, l) => s + l.quantity, 0));
    for (const l of cart.items) expect(l.line_total).toBe(l.unit_price * l.quantity);
  };
  const classicIds = async () =>
    ((await send(fetcher, 'GET', '/api/cart-items/')).json.data as Array<{ id: number }>).map((i) => i.id);

  describe(`fuzzing (fast-check, seed ${FUZZ_SEED}, ${RUNS} runs a property)`, () => {
    it('/v1 bodies of any JSON: safe, and a refused one changes nothing', { timeout: 120_000 }, async () => {
      const cart = await newCart();
      const lineId = cart.items[0].id;
      await fc.assert(
        fc.asyncProperty(value, fc.constantFrom('add', 'patch', 'create'), async (body, route) => {
          const before = await call('GET', `/v1/carts/${cart.id}`);
          const reply =
            route === 'add'
              ? await call('POST', `/v1/carts/${cart.id}/items`, body)
              : route === 'patch'
                ? await call('PATCH', `/v1/carts/${cart.id}/items/${lineId}`, body)
                : await call('POST', '/v1/carts', body);
          expectSafe(reply, 'v1');
          const after = await call('GET', `/v1/carts/${cart.id}`);
          if (reply.status >= 400 || route === 'create') expect(after.json).toEqual(before.json);
          expectTotals(after.json);
          // Keep the line alive for later runs.
          if (!after.json.items.some((l: { id: number }) => l.id === lineId))
            throw new Error('the fuzzed line is gone');
        }),
        { seed: FUZZ_SEED, numRuns: RUNS },
      );
    });

    it('almost-valid add-item bodies: accepted ones keep totals exact, refused ones store nothing', {
      timeout: 120_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(validAdd), 'extra'),
          value,
          fc.boolean(),
          async (field, replacement, drop) => {
            const cart = await newCart();
            const body: Record<string, unknown> = { ...validAdd };
            if (drop) delete body[field];
            else body[field] = replacement;
            const reply = await call('POST', `/v1/carts/${cart.id}/items`, body);
            expectSafe(reply, 'v1');
            const after = (await call('GET', `/v1/carts/${cart.id}`)).json;
            expectTotals(after);
            if (reply.status >= 400) expect(after).toEqual(cart);
            else expect(after.version).toBe(2);
          },
        ),
        { seed: FUZZ_SEED, numRuns: RUNS },
      );
    });

    it('classic bodies of any JSON or form: safe, and a refused one stores nothing', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            value,
            fc.record({ product_name: value, product_price: value, product_quantity: value }, { requiredKeys: [] }),
          ),
          async (body) => {
            const before = await classicIds();
            const reply = await send(fetcher, 'POST', '/api/cart-items/', body);
            expectSafe(reply, 'classic');
            if (reply.status >= 400) expect(await classicIds()).toEqual(before);
            else await send(fetcher, 'DELETE', `/api/cart-items/${reply.json.data.id}`);
          },
        ),
        { seed: FUZZ_SEED, numRuns: RUNS },
      );
      const created = await send(fetcher, 'POST', '/api/cart-items/', validClassic);
      expect(created.status).toBe(200);
    });

    it('odd paths, methods and headers: never a 5xx, never a leak', { timeout: 120_000 }, async () => {
      const segment = fc.oneof(
        fc.constantFrom(
          'v1',
          'carts',
          'items',
          'api',
          'cart-items',
          'admin',
          'default',
          '..',
          '.',
          '%00',
          '%2F',
          '0',
          '-1',
          'crt_AAAAAAAAAAAAAAAAAAAAAA',
        ),
        fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/),
      );
      const header = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 1, maxLength: 5 }),
          fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD'),
          fc.record(
            { 'if-match': header, 'if-none-match': header, 'idempotency-key': header, 'content-type': header },
            { requiredKeys: [] },
          ),
          value,
          async (segments, method, headers, body) => {
            const path = `/${segments.join('/')}`;
            const withBody = method === 'POST' || method === 'PATCH' || method === 'PUT';
            const res = await fetcher(path, {
              method,
              headers: { 'content-type': 'application/json', ...headers },
              body: withBody ? JSON.stringify(body) : null,
            });
            const text = await res.text();
            expect(res.status, `${method} ${path} ${text}`).toBeLessThan(500);
            expect(text).not.toMatch(LEAK);
          },
        ),
        { seed: FUZZ_SEED, numRuns: RUNS * 2 },
      );
    });

    it('requests generated from the OpenAPI document: valid ones succeed, almost-valid ones are refused as documented', {
      timeout: 120_000,
    }, async () => {
      const doc = (await send(fetcher, 'GET', '/openapi.json')).json;
      const schemas = doc.components.schemas as Record<string, JsonSchema>;
      // The suite's app runs with PRICES=client, where a line names its own name and price.
      const schema = schemas.AddItem as JsonSchema & { required?: string[] };
      const addItem = fromSchema({ ...schema, required: [...(schema.required ?? []), 'name', 'unit_price'] }, schemas);
      await fc.assert(
        fc.asyncProperty(
          addItem,
          fc.option(fc.constantFrom('product_id', 'name', 'unit_price'), { nil: undefined }),
          async (body, broken) => {
            const cart = await newCart();
            const sent: Record<string, unknown> = { ...(body as Record<string, unknown>) };
            if (broken !== undefined) sent[broken] = { wrong: 'type' };
            const reply = await call('POST', `/v1/carts/${cart.id}/items`, sent);
            expectSafe(reply, 'v1');
            if (broken === undefined) expect([200, 201]).toContain(reply.status);
            else expect(reply.status).toBe(422);
          },
        ),
        { seed: FUZZ_SEED, numRuns: RUNS },
      );
    });
  });
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  $ref?: string;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  default?: unknown;
}

/** Values valid for the subset of JSON Schema the document uses (objects, strings, integers, records, unions). */
function fromSchema(schema: JsonSchema, all: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromSchema(all[schema.$ref.split('/').at(-1) ?? ''] as JsonSchema, all);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, all)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer')
    return fc.integer({ min: Math.max(schema.minimum ?? 0, 0), max: Math.min(schema.maximum ?? 10_000, 10_000) });
  if (type === 'number') return fc.integer({ min: 0, max: 1000 });
  if (type === 'boolean') return fc.boolean();
  if (type === 'string') {
    return schema.pattern
      ? fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.trim() !== '')
      : fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !s.includes('\u0000'));
  }
  if (type === 'object' && schema.properties) {
    const keys = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, fromSchema(s, all)]));
    return fc.record(keys, { requiredKeys: schema.required ?? [] });
  }
  if (type === 'object')
    return fc.dictionary(
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()),
      { maxKeys: 5 },
    );
  return fc.constant(null);
}
