import { describe, expect, it } from 'vitest';
import { createCartClient } from '../../src/client.js';
import { documentedSend } from './catalog.cases.js';
import type { Fetcher, Reply } from './client.js';
import { AUDIENCE, ISSUER, rsaKey } from './tokens.js';
import { nextMillisecond, walkPages } from './walk.js';

/** Makes customer tokens: signed with the service's key (or another), with claims the test picks. */
export interface TokenMaker {
  /** A valid token for `sub` unless `claims`/`options` say otherwise. */
  token(
    sub: string,
    claims?: Record<string, unknown>,
    options?: { wrongKey?: boolean; expiresIn?: string; noExpiry?: boolean },
  ): Promise<string>;
  /** An unsecured token (`alg: none`) for `sub`. */
  unsigned(sub: string): string;
  issuer: string;
  audience: string;
}

let serial = 0;
const customer = (name: string) => `${name}-${Date.now().toString(36)}-${serial++}`;

/** The Authorization header of a customer token. */
export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

/** A client-priced line `sku-i` for a cart's `items`, with `extra` fields over it. */
export const line = (i: number, extra: object = {}) => ({
  product_id: `sku-${i}`,
  name: `Line ${i}`,
  unit_price: 100 + i,
  quantity: 1,
  ...extra,
});

/** A cart reply's lines as [product_id, quantity], in order. */
export const linesOf = (reply: Reply) =>
  (reply.json.items as Array<{ product_id: string; quantity: number }>).map((l) => [l.product_id, l.quantity]);

/** Signed-in customers (API.md §8) on an app with PRICES=client and the admin token `token`. */
export function customerCases(fetcher: Fetcher, adminToken: string, keys: TokenMaker) {
  const admin = { authorization: `Bearer ${adminToken}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const cartAs = async (headers: Record<string, string>, items: object[] = [line(1)]) => {
    const made = await call('POST', '/v1/carts', { currency: 'USD', items }, headers);
    expect(made.status).toBe(201);
    return made.json as { id: string; version: number; items: Array<{ id: number }>; customer_id: string | null };
  };
  /** What a reply shows besides its request id and bookmark. */
  const shape = (reply: Reply) => ({
    status: reply.status,
    body: reply.text,
    headers: [...reply.headers.keys()].filter((name) => !['x-request-id', 'x-bookmark', 'date'].includes(name)).sort(),
  });

  describe('customer tokens', () => {
    it('takes a valid token; refuses expired, wrong-issuer, wrong-audience, wrong-key and unsigned ones with 401', async () => {
      const sub = customer('alice');
      const ok = await call('GET', '/v1/customers/me/cart', undefined, bearer(await keys.token(sub)));
      expect(ok.status).toBe(404);
      expect(ok.json.detail).toBe('The customer has no open cart.');
      const bad = {
        expired: await keys.token(sub, {}, { expiresIn: '-5 minutes' }),
        issuer: await keys.token(sub, { iss: 'https://someone-else.example' }),
        audience: await keys.token(sub, { aud: 'another-service' }),
        key: await keys.token(sub, {}, { wrongKey: true }),
        none: keys.unsigned(sub),
        nosub: await keys.token('', {}),
        noexpiry: await keys.token(sub, {}, { noExpiry: true }),
        surrogate: await keys.token('\ud800', {}),
        encrypted: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aaaa.bbbb.cccc',
      };
      for (const [why, jwt] of Object.entries(bad)) {
        const reply = await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt));
        expect(reply.status, why).toBe(401);
        expect(reply.json.type).toBe('/problems/unauthorized');
        expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        // A token that does not verify is refused on every /v1 route, not taken as anonymous.
        expect((await call('POST', '/v1/carts', { currency: 'USD' }, bearer(jwt))).status, why).toBe(401);
      }
      expect((await call('GET', '/v1/customers/me/cart')).status).toBe(401);
      expect(
        (await call('GET', '/v1/customers/me/cart', undefined, { authorization: 'Bearer not-a-jwt' })).status,
      ).toBe(401);
      const asAdmin = await call('GET', '/v1/customers/me/cart', undefined, admin);
      expect(asAdmin.status).toBe(403);
    });

    it('takes exp and nbf within AUTH_CLOCK_SKEW_SECONDS (30) of now, and refuses them just past it (401)', async () => {
      const sub = customer('skew');
      const now = Math.floor(Date.now() / 1000);
      const me = async (jwt: string) => call('GET', '/v1/customers/me/cart', undefined, bearer(jwt));
      // 20 s either side of the 30 s slack, so the test's own time cannot tip it.
      const inside = {
        'expired 10 s ago': await keys.token(sub, {}, { expiresIn: '-10 seconds' }),
        'nbf 10 s ahead': await keys.token(sub, { nbf: now + 10 }),
      };
      for (const [why, jwt] of Object.entries(inside)) {
        const reply = await me(jwt);
        expect(reply.status, why).toBe(404);
        expect(reply.json.detail, why).toBe('The customer has no open cart.');
      }
      const outside = {
        'expired 50 s ago': await keys.token(sub, {}, { expiresIn: '-50 seconds' }),
        'nbf 50 s ahead': await keys.token(sub, { nbf: now + 50 }),
      };
      for (const [why, jwt] of Object.entries(outside)) {
        const reply = await me(jwt);
        expect(reply.status, why).toBe(401);
        expect(reply.json.type, why).toBe('/problems/unauthorized');
        expect(reply.headers.get('www-authenticate'), why).toBe('Bearer error="invalid_token"');
      }
    });

    it('refuses an issuer or audience one character off the configured one (401), and takes an audience list that holds it', async () => {
      const sub = customer('nearmiss');
      const near = {
        'issuer with a trailing slash': await keys.token(sub, { iss: `${ISSUER}/` }),
        'issuer in upper case': await keys.token(sub, { iss: ISSUER.toUpperCase() }),
        'audience one character short': await keys.token(sub, { aud: AUDIENCE.slice(0, -1) }),
        'audience one character long': await keys.token(sub, { aud: `${AUDIENCE}x` }),
        'audience list without it': await keys.token(sub, { aud: [`${AUDIENCE}x`, AUDIENCE.slice(0, -1)] }),
      };
      for (const [why, jwt] of Object.entries(near)) {
        const reply = await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt));
        expect(reply.status, why).toBe(401);
        expect(reply.json.type, why).toBe('/problems/unauthorized');
      }
      const listed = await keys.token(sub, { aud: ['another-service', AUDIENCE] });
      expect((await call('GET', '/v1/customers/me/cart', undefined, bearer(listed))).status).toBe(404);
    });

    it('binds a cart created with a token to its customer, and lists their carts and orders under me', async () => {
      const sub = customer('bob');
      const jwt = await keys.token(sub);
      const older = await cartAs(bearer(jwt));
      expect(older.customer_id).toBe(sub);
      const newer = await cartAs(bearer(jwt), [line(2)]);
      const mine = await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt));
      expect(mine.status).toBe(200);
      expect(mine.json.id).toBe(newer.id);
      // Changing the older one makes it the most recently changed.
      await call('POST', `/v1/carts/${older.id}/items`, line(3), bearer(jwt));
      expect((await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt))).json.id).toBe(older.id);
      const placed = await call('POST', `/v1/carts/${older.id}/checkout`, {}, bearer(jwt));
      expect(placed.status).toBe(201);
      expect(placed.json.customer_id).toBe(sub);
      expect((await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt))).json.id).toBe(newer.id);
      const otherJwt = await keys.token(customer('carol'));
      await call('POST', `/v1/carts/${(await cartAs(bearer(otherJwt))).id}/checkout`, {}, bearer(otherJwt));
      const orders = await call('GET', '/v1/customers/me/orders', undefined, bearer(jwt));
      expect(orders.status).toBe(200);
      expect(orders.json.orders.map((o: { id: string }) => o.id)).toEqual([placed.json.id]);
    });

    it('pages through the customer’s orders with limit=1: each once, newest first, ending with no next page', async () => {
      const jwt = await keys.token(customer('pager'));
      const placed: string[] = [];
      for (let i = 0; i < 3; i++) {
        await nextMillisecond();
        const cart = await cartAs(bearer(jwt), [line(i)]);
        const order = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, bearer(jwt));
        expect(order.status).toBe(201);
        placed.push(order.json.id);
      }
      // Someone else's order is never on the pages.
      const other = await keys.token(customer('pager-other'));
      await call('POST', `/v1/carts/${(await cartAs(bearer(other))).id}/checkout`, {}, bearer(other));
      const walked = await walkPages<{ id: string; created_at: string }>(
        fetcher,
        '/v1/customers/me/orders?limit=1',
        'orders',
        bearer(jwt),
        6,
      );
      expect(walked.map((o) => o.id)).toEqual([...placed].reverse());
      const times = walked.map((o) => Date.parse(o.created_at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect((await call('GET', '/v1/customers/me/orders?limit=200', undefined, bearer(jwt))).json.orders).toHaveLength(
        3,
      );
      for (const query of ['limit=0', 'limit=201', 'cursor=not-a-cursor', `cursor=${btoa('[1,"x"]')}`]) {
        const reply = await call('GET', `/v1/customers/me/orders?${query}`, undefined, bearer(jwt));
        expect([reply.status, reply.json.type], query).toEqual([422, '/problems/validation-failed']);
      }
    });
  });

  describe('the typed client', () => {
    it('sends the token its provider gives, on every call', async () => {
      const sub = customer('typed');
      let jwt: string | undefined = await keys.token(sub);
      const api = createCartClient('http://edgecart.test', {
        token: () => jwt,
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          return fetcher(`${url.pathname}${url.search}`, init);
        },
      });
      const made = await api.v1.carts.$post({ header: {}, json: { currency: 'USD', items: [line(1)] } });
      expect(made.status).toBe(201);
      if (made.status !== 201) return;
      const cart = await made.json();
      expect(cart.customer_id).toBe(sub);
      const mine = await api.v1.customers.me.cart.$get({ header: {} });
      expect(mine.status).toBe(200);
      if (mine.status === 200) expect((await mine.json()).id).toBe(cart.id);
      jwt = undefined;
      expect((await api.v1.customers.me.cart.$get({ header: {} })).status).toBe(401);
      expect((await api.v1.carts[':cartId'].$get({ param: { cartId: cart.id }, header: {} })).status).toBe(404);
    });
  });

  describe('object-level authorization', () => {
    it('answers another customer, no token, and a garbage bearer on every route of a bound cart as if it did not exist; the owner and the admin get through', async () => {
      const owner = await keys.token(customer('owner'));
      const intruder = await keys.token(customer('intruder'));
      const cart = await cartAs(bearer(owner), [line(1), line(2)]);
      const lineId = cart.items[0]?.id;
      const missing = 'crt_AAAAAAAAAAAAAAAAAAAAAA';
      const routes: Array<[string, (id: string) => string, unknown]> = [
        ['GET', (id) => `/v1/carts/${id}`, undefined],
        ['POST', (id) => `/v1/carts/${id}/items`, line(9)],
        ['PATCH', (id) => `/v1/carts/${id}/items/${lineId}`, { quantity: 3 }],
        ['PATCH', (id) => `/v1/carts/${id}`, { note: 'not yours' }],
        ['PUT', (id) => `/v1/carts/${id}/delivery`, { option_id: 'no-such-rate' }],
        ['DELETE', (id) => `/v1/carts/${id}/delivery`, undefined],
        ['DELETE', (id) => `/v1/carts/${id}/items/${lineId}`, undefined],
        ['DELETE', (id) => `/v1/carts/${id}/items`, undefined],
        ['POST', (id) => `/v1/carts/${id}/discount-codes`, { code: 'NOPE99' }],
        ['DELETE', (id) => `/v1/carts/${id}/discount-codes/NOPE99`, undefined],
        ['POST', (id) => `/v1/carts/${id}/checkout`, {}],
        ['DELETE', (id) => `/v1/carts/${id}`, undefined],
      ];
      for (const [method, path, body] of routes) {
        const absent = shape(await call(method, path(missing), body, bearer(intruder)));
        expect(absent.status, `${method} ${path('…')}`).toBe(404);
        for (const headers of [bearer(intruder), {}, { authorization: 'Bearer not-a-jwt' }]) {
          const reply = await call(method, path(cart.id), body, headers);
          expect(shape(reply), `${method} ${path('…')} ${JSON.stringify(headers).slice(0, 30)}`).toEqual(absent);
        }
      }
      // Nothing was changed by any of them.
      const read = await call('GET', `/v1/carts/${cart.id}`, undefined, bearer(owner));
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ version: 1, line_count: 2, note: null });
      expect((await call('GET', `/v1/carts/${cart.id}`, undefined, admin)).status).toBe(200);
      expect((await call('POST', `/v1/carts/${cart.id}/items`, line(5), admin)).status).toBe(201);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, bearer(owner));
      expect(placed.status).toBe(201);
      const order = `/v1/orders/${placed.json.id}`;
      const noOrder = shape(await call('GET', '/v1/orders/ord_AAAAAAAAAAAAAAAAAAAAAA', undefined, bearer(intruder)));
      expect(shape(await call('GET', order, undefined, bearer(intruder)))).toEqual(noOrder);
      expect(shape(await call('GET', order))).toEqual(noOrder);
      expect((await call('GET', order, undefined, bearer(owner))).status).toBe(200);
      expect((await call('GET', order, undefined, admin)).status).toBe(200);
      // A stored answer is never replayed to another caller, whatever key and body they send.
      const fresh = await cartAs(bearer(owner));
      const key = { 'idempotency-key': `k-${Date.now()}` };
      const added = await call('POST', `/v1/carts/${fresh.id}/items`, line(4), { ...bearer(owner), ...key });
      expect(added.status).toBe(201);
      const replayed = await call('POST', `/v1/carts/${fresh.id}/items`, line(4), { ...bearer(intruder), ...key });
      expect(replayed.status).toBe(404);
      expect(replayed.text).not.toContain(fresh.id);
      const made = await call('POST', '/v1/carts', { currency: 'USD' }, { ...bearer(owner), ...key });
      const other = await call('POST', '/v1/carts', { currency: 'USD' }, { ...bearer(intruder), ...key });
      expect(other.status).toBe(201);
      expect(other.json.id).not.toBe(made.json.id);
      // An anonymous cart stays open to whoever holds its id, with or without a token.
      const anonymous = await cartAs({});
      expect((await call('GET', `/v1/carts/${anonymous.id}`, undefined, bearer(intruder))).status).toBe(200);
    });
  });

  describe('POST /v1/customers/me/cart/merge', () => {
    const mergeAs = (jwt: string, cartId: string, mode: string) =>
      call('POST', '/v1/customers/me/cart/merge', { cart_id: cartId, mode }, bearer(jwt));

    for (const [mode, expected] of [
      [
        'sum',
        [
          ['sku-1', 5],
          ['sku-2', 1],
          ['sku-3', 4],
        ],
      ],
      [
        'max',
        [
          ['sku-1', 3],
          ['sku-2', 1],
          ['sku-3', 4],
        ],
      ],
      [
        'replace',
        [
          ['sku-1', 2],
          ['sku-3', 4],
        ],
      ],
    ] as const) {
      it(`merges with ${mode}: overlapping lines combine, distinct ones are appended, and the anonymous cart is gone`, async () => {
        const jwt = await keys.token(customer(mode));
        const mine = await cartAs(bearer(jwt), [line(1, { quantity: 3 }), line(2)]);
        const anonymous = await cartAs({}, [line(1, { quantity: 2 }), line(3, { quantity: 4 })]);
        const merged = await mergeAs(jwt, anonymous.id, mode);
        expect(merged.status).toBe(200);
        expect(merged.json).toMatchObject({ id: mine.id, version: 2, warnings: [] });
        expect(linesOf(merged)).toEqual(expected);
        expect((await call('GET', `/v1/carts/${anonymous.id}`)).status).toBe(404);
        expect((await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt))).json.items).toEqual(
          merged.json.items,
        );
      });
    }

    it('keeps the customer’s own details and takes what their cart lacks from the anonymous cart', async () => {
      const jwt = await keys.token(customer('details'));
      const mine = await cartAs(bearer(jwt), [line(1)]);
      const anonymous = await cartAs({}, [line(2)]);
      const patch = (id: string, body: object, headers: Record<string, string> = {}) =>
        call('PATCH', `/v1/carts/${id}`, body, headers);
      const bonn = { line1: 'Markt 1', city: 'Bonn', country: 'DE' };
      const paris = { line1: 'Rue 2', city: 'Paris', country: 'FR' };
      expect((await patch(mine.id, { email: 'mine@example.com', note: 'mine' }, bearer(jwt))).status).toBe(200);
      const anonymousDetails = {
        email: 'anon@example.com',
        note: 'anon',
        shipping_address: bonn,
        billing_address: paris,
      };
      expect((await patch(anonymous.id, anonymousDetails)).status).toBe(200);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.status).toBe(200);
      expect(merged.json).toMatchObject({
        id: mine.id,
        email: 'mine@example.com',
        note: 'mine',
        shipping_address: bonn,
        billing_address: paris,
      });
    });

    it('takes the anonymous cart’s delivery selection when the customer’s cart has none, and keeps its own otherwise', async () => {
      const rate = `merge-rate-${Date.now().toString(36)}`;
      const putRate = (id: string, active: boolean) =>
        call(
          'PUT',
          `/v1/admin/shipping-rates/${id}`,
          { name: `Rate ${id}`, countries: ['DE'], prices: { USD: 500 }, active },
          admin,
        );
      for (const id of [`${rate}-a`, `${rate}-b`]) expect((await putRate(id, true)).status).toBe(201);
      const bonn = { shipping_address: { line1: 'Markt 1', city: 'Bonn', country: 'DE' } };
      const selected = async (headers: Record<string, string>, option: string) => {
        const cart = await cartAs(headers, [line(1)]);
        expect((await call('PATCH', `/v1/carts/${cart.id}`, bonn, headers)).status).toBe(200);
        expect((await call('PUT', `/v1/carts/${cart.id}/delivery`, { option_id: option }, headers)).status).toBe(200);
        return cart;
      };
      const jwt = await keys.token(customer('delivery'));
      const mine = await cartAs(bearer(jwt), [line(2)]);
      const anonymous = await selected({}, `${rate}-a`);
      const keeperJwt = await keys.token(customer('delivery-kept'));
      const kept = await selected(bearer(keeperJwt), `${rate}-b`);
      const second = await selected({}, `${rate}-a`);
      // No active rate outlives this test: the other checkouts of this app need no delivery.
      for (const id of [`${rate}-a`, `${rate}-b`]) expect((await putRate(id, false)).status).toBe(200);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.json).toMatchObject({
        id: mine.id,
        delivery: { option_id: `${rate}-a`, name: `Rate ${rate}-a`, applicable: false, reason: 'inactive' },
      });
      const keeps = await mergeAs(keeperJwt, second.id, 'sum');
      expect(keeps.json).toMatchObject({ id: kept.id, delivery: { option_id: `${rate}-b` } });
      // With no rate active the store ships nothing: a cart checks out without a delivery, and is charged none.
      const placed = await call('POST', `/v1/carts/${mine.id}/checkout`, {}, bearer(jwt));
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ delivery: null, shipping_total: 0, total: placed.json.subtotal });
    });

    it('leaves a line the merge does not change as it was: with max, a larger line of the customer keeps its quantity and updated_at', async () => {
      const jwt = await keys.token(customer('keeper'));
      const mine = await cartAs(bearer(jwt), [line(1, { quantity: 5 }), line(2)]);
      const anonymous = await cartAs({}, [line(1, { quantity: 3 }), line(2, { quantity: 4 })]);
      await nextMillisecond();
      const merged = await mergeAs(jwt, anonymous.id, 'max');
      expect(merged.status).toBe(200);
      expect(merged.json).toMatchObject({ id: mine.id, version: 2, warnings: [] });
      expect(linesOf(merged)).toEqual([
        ['sku-1', 5],
        ['sku-2', 4],
      ]);
      const before = mine.items as unknown as Array<{ id: number; updated_at: string }>;
      const after = merged.json.items as Array<{ id: number; updated_at: string }>;
      expect(after.map((l) => l.id)).toEqual(before.map((l) => l.id));
      expect(after[0]?.updated_at).toBe(before[0]?.updated_at);
      expect(Date.parse(after[1]?.updated_at ?? '')).toBeGreaterThan(Date.parse(before[1]?.updated_at ?? ''));
      expect(after[1]?.updated_at).toBe(merged.json.updated_at);
    });

    it('refuses to merge a cart that is already the customer’s (409), and changes nothing', async () => {
      const jwt = await keys.token(customer('owned'));
      const mine = await cartAs(bearer(jwt), [line(1)]);
      const refused = await mergeAs(jwt, mine.id, 'sum');
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/conflict',
        detail: 'The cart is already the customer’s: there is nothing to merge.',
      });
      const read = await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt));
      expect([read.json.version, linesOf(read)]).toEqual([1, [['sku-1', 1]]]);
    });

    it('clamps quantities and drops lines past the limits, reporting each in warnings', async () => {
      const jwt = await keys.token(customer('full'));
      const lines = Array.from({ length: 249 }, (_, i) => line(i, i === 0 ? { quantity: 9_999 } : {}));
      const mine = await cartAs(bearer(jwt), lines);
      const anonymous = await cartAs({}, [line(0, { quantity: 5 }), line(500), line(501), line(502)]);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.status).toBe(200);
      expect(merged.json.id).toBe(mine.id);
      expect(merged.json.line_count).toBe(250);
      expect(merged.json.items[0]).toMatchObject({ product_id: 'sku-0', quantity: 10_000 });
      const [a0, a1, a2, a3] = anonymous.items.map((i) => i.id);
      expect(merged.json.warnings).toEqual([
        {
          code: 'quantity-clamped',
          path: `items.${a0}`,
          message: 'Merged, the line would hold 10004; it holds 10000, the most a line may.',
        },
        ...[a2, a3].map((id) => ({
          code: 'line-dropped',
          path: `items.${id}`,
          message: 'The cart already holds 250 lines, the most it may; the line was not added.',
        })),
      ]);
      expect(merged.json.items.at(-1)).toMatchObject({ product_id: 'sku-500' });
      expect(a1).toBeDefined();
    });

    it('merges into the customer’s next open cart when the last one is checked out, and makes the anonymous cart theirs when none is open', async () => {
      const jwt = await keys.token(customer('dave'));
      const first = await cartAs(bearer(jwt), [line(1)]);
      const second = await cartAs(bearer(jwt), [line(2)]);
      expect((await call('POST', `/v1/carts/${second.id}/checkout`, {}, bearer(jwt))).status).toBe(201);
      const anonymous = await cartAs({}, [line(3)]);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.json.id).toBe(first.id);
      expect(linesOf(merged)).toEqual([
        ['sku-1', 1],
        ['sku-3', 1],
      ]);
      expect((await call('POST', `/v1/carts/${first.id}/checkout`, {}, bearer(jwt))).status).toBe(201);
      const lone = await cartAs({}, [line(4)]);
      const adopted = await mergeAs(jwt, lone.id, 'max');
      expect(adopted.status).toBe(200);
      expect(adopted.json).toMatchObject({ id: lone.id, customer_id: expect.any(String), version: 2, warnings: [] });
      // Bound now: its old anonymous holder (no token) no longer sees it.
      expect((await call('GET', `/v1/carts/${lone.id}`)).status).toBe(404);
      expect((await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt))).json.id).toBe(lone.id);
    });

    it('answers an anonymous Idempotency-Key replay on a cart a customer has since adopted 404: authorization comes before idempotency', async () => {
      const jwt = await keys.token(customer('kept'));
      const lone = await cartAs({}, [line(1)]);
      const key = { 'idempotency-key': `adopted-${Date.now()}` };
      const add = await call('POST', `/v1/carts/${lone.id}/items`, line(2), key);
      expect(add.status).toBe(201);
      // The holder's own replay still works while the cart is theirs.
      const again = await call('POST', `/v1/carts/${lone.id}/items`, line(2), key);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await mergeAs(jwt, lone.id, 'max')).status).toBe(200);
      const replay = await call('POST', `/v1/carts/${lone.id}/items`, line(2), key);
      expect(replay.status).toBe(404);
      expect(replay.json).toMatchObject({ type: '/problems/not-found' });
      expect(replay.headers.get('idempotent-replayed')).toBeNull();
      expect(replay.text).not.toContain('sku-2');
      // The customer, who can address the cart, gets an answer of their own (their scope holds no such key).
      const mine = await call('POST', `/v1/carts/${lone.id}/items`, line(2), { ...key, ...bearer(jwt) });
      expect(mine.status).toBe(200);
      expect(mine.headers.get('idempotent-replayed')).toBeNull();
    });

    it('refuses another customer’s cart (404), a checked-out one (409) and an unknown one (404)', async () => {
      const jwt = await keys.token(customer('erin'));
      const theirs = await cartAs(bearer(await keys.token(customer('frank'))));
      expect((await mergeAs(jwt, theirs.id, 'sum')).status).toBe(404);
      expect((await mergeAs(jwt, 'crt_AAAAAAAAAAAAAAAAAAAAAA', 'sum')).status).toBe(404);
      const done = await cartAs({});
      expect((await call('POST', `/v1/carts/${done.id}/checkout`, {})).status).toBe(201);
      const closed = await mergeAs(jwt, done.id, 'sum');
      expect(closed.status).toBe(409);
      expect(closed.json.type).toBe('/problems/cart-closed');
      expect((await mergeAs(jwt, 'default', 'sum')).status).toBe(404);
      expect(
        (await call('POST', '/v1/customers/me/cart/merge', { cart_id: done.id, mode: 'all' }, bearer(jwt))).status,
      ).toBe(422);
    });

    it('lets exactly one of two concurrent merges of one anonymous cart win, and duplicates nothing', async () => {
      const jwt = await keys.token(customer('gina'));
      const mine = await cartAs(bearer(jwt), [line(1)]);
      const anonymous = await cartAs({}, [line(1, { quantity: 2 }), line(2)]);
      const replies = await Promise.all([mergeAs(jwt, anonymous.id, 'sum'), mergeAs(jwt, anonymous.id, 'sum')]);
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([404, 409]).toContain(statuses[1]);
      const read = await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt));
      expect(linesOf(read)).toEqual([
        ['sku-1', 3],
        ['sku-2', 1],
      ]);
    });

    it('refuses to merge carts of two currencies (409), and carries no code over (code-dropped)', async () => {
      const jwt = await keys.token(customer('hana'));
      const mine = await cartAs(bearer(jwt), [line(1)]);
      const yen = await call('POST', '/v1/carts', { currency: 'JPY', items: [line(2, { unit_price: 5000 })] });
      const refused = await mergeAs(jwt, yen.json.id, 'sum');
      expect(refused.status).toBe(409);
      expect(refused.json.detail).toBe(
        'The anonymous cart is in another currency than the customer’s open cart; nothing was merged.',
      );
      expect((await call('GET', `/v1/carts/${yen.json.id}`)).status).toBe(200);
      expect((await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt))).json.version).toBe(1);
      const code = `KEEP${Date.now().toString(36).toUpperCase()}`;
      await call('PUT', `/v1/admin/discounts/${code}`, { kind: 'percentage', percent_off_bp: 1000 }, admin);
      const anonymous = await cartAs({}, [line(3)]);
      expect((await call('POST', `/v1/carts/${anonymous.id}/discount-codes`, { code })).status).toBe(200);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.json.warnings).toEqual([
        {
          code: 'code-dropped',
          path: `discount_codes.${code}`,
          message: `The code ${code} was on the anonymous cart; attach it again to use it.`,
        },
      ]);
      expect(merged.json.discount_codes).toEqual([]);
    });

    it('replays a retried merge with the same Idempotency-Key, and lets one of two merges adopting a cart win', async () => {
      const jwt = await keys.token(customer('ivan'));
      const anonymous = await cartAs({}, [line(1)]);
      const key = { 'idempotency-key': `merge-${Date.now()}` };
      const body = { cart_id: anonymous.id, mode: 'sum' };
      const first = await call('POST', '/v1/customers/me/cart/merge', body, { ...bearer(jwt), ...key });
      expect(first.status).toBe(200);
      const retry = await call('POST', '/v1/customers/me/cart/merge', body, { ...bearer(jwt), ...key });
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.json).toEqual(first.json);
      const racer = await keys.token(customer('jules'));
      const lone = await cartAs({}, [line(2)]);
      const replies = await Promise.all([mergeAs(racer, lone.id, 'sum'), mergeAs(racer, lone.id, 'sum')]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('lets only one of two customers merging the same anonymous cart at once take its lines', async () => {
      const [x, y] = [await keys.token(customer('xavier')), await keys.token(customer('yvonne'))];
      const [xCart, yCart] = [await cartAs(bearer(x), [line(7)]), await cartAs(bearer(y), [line(8)])];
      const anonymous = await cartAs({}, [line(9, { quantity: 2 })]);
      const replies = await Promise.all([mergeAs(x, anonymous.id, 'sum'), mergeAs(y, anonymous.id, 'sum')]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 404]);
      const lines = [
        ...linesOf(await call('GET', `/v1/carts/${xCart.id}`, undefined, bearer(x))),
        ...linesOf(await call('GET', `/v1/carts/${yCart.id}`, undefined, bearer(y))),
      ];
      expect(lines.filter(([product]) => product === 'sku-9')).toEqual([['sku-9', 2]]);
    });

    it('sums a line to exactly 10,000 with no warning (the quantity limit, at it)', async () => {
      const jwt = await keys.token(customer('tenk'));
      await cartAs(bearer(jwt), [line(1, { quantity: 6_000 })]);
      const anonymous = await cartAs({}, [line(1, { quantity: 4_000 })]);
      const merged = await mergeAs(jwt, anonymous.id, 'sum');
      expect(merged.status).toBe(200);
      expect(merged.json.warnings).toEqual([]);
      expect(linesOf(merged)).toEqual([['sku-1', 10_000]]);
    });

    describe('the subtotal limit (Number.MAX_SAFE_INTEGER)', () => {
      const MAX = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991
      const TOP = 1_000_000_000_000; // the highest unit_price
      // 9,000 at the top price, 7 more, and one line of what is left: exactly the limit.
      const REST = MAX - 9_007 * TOP; // 199,254,740,991
      const capMessage = (tail: string) => `The subtotal may not pass ${MAX}; ${tail}`;

      for (const over of [0, 1]) {
        it(`sum onto a large line ${over ? 'one unit past' : 'exactly at'} the limit: ${over ? 'clamps it, with the subtotal warning' : 'merges whole, no warning'}`, async () => {
          expect(REST).toBe(199_254_740_991);
          const jwt = await keys.token(customer(`cap-sum-${over}`));
          const mine = await cartAs(bearer(jwt), [
            line(100, { unit_price: TOP, quantity: 4_500 }),
            line(101, { unit_price: TOP, quantity: 7 }),
            line(102, { unit_price: REST + over, quantity: 1 }),
          ]);
          const anonymous = await cartAs({}, [line(100, { unit_price: TOP, quantity: 4_500 })]);
          const merged = await mergeAs(jwt, anonymous.id, 'sum');
          expect(merged.status).toBe(200);
          expect(merged.json.id).toBe(mine.id);
          if (over === 0) {
            expect(merged.json.warnings).toEqual([]);
            expect(linesOf(merged)).toEqual([
              ['sku-100', 9_000],
              ['sku-101', 7],
              ['sku-102', 1],
            ]);
            expect(merged.json).toMatchObject({ subtotal: MAX, total: MAX, item_count: 9_008 });
          } else {
            // 9,000 would make MAX + 1: the line holds the most that fits, 8,999.
            expect(merged.json.warnings).toEqual([
              {
                code: 'quantity-clamped',
                path: `items.${anonymous.items[0]?.id}`,
                message: capMessage('the line holds 8999.'),
              },
            ]);
            expect(linesOf(merged)).toEqual([
              ['sku-100', 8_999],
              ['sku-101', 7],
              ['sku-102', 1],
            ]);
            expect(merged.json.subtotal).toBe(8_999 * TOP + 7 * TOP + REST + 1);
          }
          const read = await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt));
          expect({ subtotal: read.json.subtotal, lines: linesOf(read) }).toEqual({
            subtotal: merged.json.subtotal,
            lines: linesOf(merged),
          });
          expect((await call('GET', `/v1/carts/${anonymous.id}`)).status).toBe(404);
        });

        it(`appends a line ${over ? 'one unit past' : 'exactly at'} the limit: ${over ? 'drops it, with the subtotal warning' : 'adds it, no warning'}`, async () => {
          const jwt = await keys.token(customer(`cap-add-${over}`));
          const mine = await cartAs(bearer(jwt), [
            line(110, { unit_price: TOP, quantity: 9_000 }),
            line(111, { unit_price: TOP, quantity: 7 }),
          ]);
          const anonymous = await cartAs({}, [line(112, { unit_price: REST + over, quantity: 1 })]);
          const merged = await mergeAs(jwt, anonymous.id, 'sum');
          expect(merged.status).toBe(200);
          expect(merged.json.id).toBe(mine.id);
          if (over === 0) {
            expect(merged.json.warnings).toEqual([]);
            expect(linesOf(merged)).toEqual([
              ['sku-110', 9_000],
              ['sku-111', 7],
              ['sku-112', 1],
            ]);
            expect(merged.json.subtotal).toBe(MAX);
          } else {
            expect(merged.json.warnings).toEqual([
              {
                code: 'line-dropped',
                path: `items.${anonymous.items[0]?.id}`,
                message: capMessage('the line was not added.'),
              },
            ]);
            expect(linesOf(merged)).toEqual([
              ['sku-110', 9_000],
              ['sku-111', 7],
            ]);
            expect(merged.json.subtotal).toBe(9_007 * TOP);
          }
          expect((await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt))).json.subtotal).toBe(
            merged.json.subtotal,
          );
        });
      }
      // A combined line first, then appended ones: each is held to the subtotal as the lines before it left it.
      for (const over of [0, 1]) {
        it(`sums a line, then appends two ${over ? 'the second of which is one unit past' : 'that reach exactly'} the limit: ${over ? 'drops that one, with the subtotal warning' : 'adds both, no warning'}`, async () => {
          const jwt = await keys.token(customer(`cap-mixed-${over}`));
          const mine = await cartAs(bearer(jwt), [
            line(120, { unit_price: TOP, quantity: 4_500 }),
            line(121, { unit_price: TOP, quantity: 7 }),
          ]);
          // After the sum, 9,007 at the top price: REST is left, and the two appended lines take REST (+ 1).
          const anonymous = await cartAs({}, [
            line(120, { unit_price: TOP, quantity: 4_500 }),
            line(122, { unit_price: REST - 1, quantity: 1 }),
            line(123, { unit_price: 1 + over, quantity: 1 }),
          ]);
          const merged = await mergeAs(jwt, anonymous.id, 'sum');
          expect(merged.status).toBe(200);
          expect(merged.json.id).toBe(mine.id);
          if (over === 0) {
            expect(merged.json.warnings).toEqual([]);
            expect(linesOf(merged)).toEqual([
              ['sku-120', 9_000],
              ['sku-121', 7],
              ['sku-122', 1],
              ['sku-123', 1],
            ]);
            expect(merged.json.subtotal).toBe(MAX);
          } else {
            expect(merged.json.warnings).toEqual([
              {
                code: 'line-dropped',
                path: `items.${anonymous.items[2]?.id}`,
                message: capMessage('the line was not added.'),
              },
            ]);
            expect(linesOf(merged)).toEqual([
              ['sku-120', 9_000],
              ['sku-121', 7],
              ['sku-122', 1],
            ]);
            expect(merged.json.subtotal).toBe(MAX - 1);
          }
          expect((await call('GET', `/v1/carts/${mine.id}`, undefined, bearer(jwt))).json.subtotal).toBe(
            merged.json.subtotal,
          );
        });
      }
    });

    it('never replays one customer’s merge answer to another sending the same Idempotency-Key and body', async () => {
      const [aSub, bSub] = [customer('idem-a'), customer('idem-b')];
      const [a, b] = [await keys.token(aSub), await keys.token(bSub)];
      // A's open cart is in yen: A's merge of a dollar cart is refused; B's goes through.
      const aCart = await call(
        'POST',
        '/v1/carts',
        { currency: 'JPY', items: [line(1, { unit_price: 500 })] },
        bearer(a),
      );
      expect(aCart.status).toBe(201);
      const bCart = await cartAs(bearer(b), [line(2)]);
      const anonymous = await cartAs({}, [line(3)]);
      const key = { 'idempotency-key': `shared-merge-${Date.now()}` };
      const body = { cart_id: anonymous.id, mode: 'sum' };
      const merge = (jwt: string) => call('POST', '/v1/customers/me/cart/merge', body, { ...bearer(jwt), ...key });
      const refused = await merge(a);
      expect(refused.status).toBe(409);
      expect(refused.json.detail).toBe(
        'The anonymous cart is in another currency than the customer’s open cart; nothing was merged.',
      );
      const merged = await merge(b);
      expect(merged.status).toBe(200);
      expect(merged.headers.get('idempotent-replayed')).toBeNull();
      expect(merged.json).toMatchObject({ id: bCart.id, customer_id: bSub, warnings: [] });
      expect(linesOf(merged)).toEqual([
        ['sku-2', 1],
        ['sku-3', 1],
      ]);
      // Each retry gets its own first answer back.
      const aRetry = await merge(a);
      expect([aRetry.status, aRetry.headers.get('idempotent-replayed'), aRetry.text]).toEqual([
        409,
        'true',
        refused.text,
      ]);
      const bRetry = await merge(b);
      expect([bRetry.status, bRetry.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
      expect(bRetry.json).toEqual(merged.json);
      expect((await call('GET', `/v1/carts/${aCart.json.id}`, undefined, bearer(a))).json.version).toBe(1);
      // And the other way round: B's stored 200 (B's cart) is never A's answer.
      const next = await cartAs({}, [line(4)]);
      const key2 = { 'idempotency-key': `shared-merge-2-${Date.now()}` };
      const body2 = { cart_id: next.id, mode: 'sum' };
      const won = await call('POST', '/v1/customers/me/cart/merge', body2, { ...bearer(b), ...key2 });
      expect(won.status).toBe(200);
      expect(won.json.id).toBe(bCart.id);
      const lost = await call('POST', '/v1/customers/me/cart/merge', body2, { ...bearer(a), ...key2 });
      expect(lost.status).toBe(404);
      expect(lost.headers.get('idempotent-replayed')).toBeNull();
      expect(lost.text).not.toContain(bCart.id);
      expect(lost.text).not.toContain(bSub);
    });
  });
}

/**
 * Only AUTH_ALGORITHMS verify (API.md §8), even where the configured key would
 * serve another: `appWith` builds an app with the given settings (and
 * PRICES=client); its key is an RSA PEM, which fits RS256 and PS256 alike.
 */
export function algorithmCases(appWith: (env: Record<string, string>) => Promise<Fetcher>) {
  describe('AUTH_ALGORITHMS', () => {
    it('takes an RS256 token from the configured RSA key, and refuses a PS256 token of the same key (401) until PS256 is listed', async () => {
      const key = await rsaKey();
      const settings = { AUTH_PUBLIC_KEY: key.pem, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };
      const rsOnly = await appWith({ ...settings, AUTH_ALGORITHMS: 'RS256' });
      const sub = customer('rsa');
      const as = (fetcher: Fetcher, jwt: string) => ({
        me: () =>
          documentedSend(fetcher, 'GET', '/v1/customers/me/cart', undefined, { authorization: `Bearer ${jwt}` }),
        create: () =>
          documentedSend(fetcher, 'POST', '/v1/carts', { currency: 'USD' }, { authorization: `Bearer ${jwt}` }),
      });
      const rs = as(rsOnly, await key.token('RS256', sub));
      const made = await rs.create();
      expect(made.status).toBe(201);
      expect(made.json.customer_id).toBe(sub);
      const mine = await rs.me();
      expect([mine.status, mine.json.id]).toEqual([200, made.json.id]);
      const psJwt = await key.token('PS256', sub);
      const ps = as(rsOnly, psJwt);
      for (const reply of [await ps.me(), await ps.create()]) {
        expect(reply.status).toBe(401);
        expect(reply.json.type).toBe('/problems/unauthorized');
        expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      }
      // The default list (RS256, ES256, EdDSA) does not hold PS256 either. (A customer with no cart
      // from here on: on Workers every app shares one D1.)
      const fresh = customer('rsa-fresh');
      const byDefault = await appWith(settings);
      expect((await as(byDefault, await key.token('PS256', fresh)).me()).status).toBe(401);
      expect((await as(byDefault, await key.token('RS256', fresh)).me()).status).toBe(404);
      // A PS256 token of the same key verifies once PS256 is listed: the 401 was the algorithm's.
      const both = await appWith({ ...settings, AUTH_ALGORITHMS: 'RS256,PS256' });
      const listed = await as(both, await key.token('PS256', fresh)).me();
      expect([listed.status, listed.json.detail]).toEqual([404, 'The customer has no open cart.']);
    });
  });
}
