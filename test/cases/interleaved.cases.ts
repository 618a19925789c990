import { describe, expect, it } from 'vitest';
import { documentedSend, freshSku } from './catalog.cases.js';
import type { Fetcher } from './client.js';
import { bearer, line, linesOf, type TokenMaker } from './customers.cases.js';

/** What runs before a batch: told how many statements it holds. */
export type BatchHook = (size: number) => Promise<void> | void;

/**
 * A database whose `batch` first runs the hook the test set, if any: the
 * test's way to land another change between a step's read and its write,
 * where a concurrent request would land it. The hook's own requests run
 * without it (their batches are not hooked again).
 */
export function batchHooks() {
  let hook: BatchHook | undefined;
  let busy = false;
  return {
    set(next: BatchHook | undefined) {
      hook = next;
    },
    wrap<D extends object>(db: D): D {
      return new Proxy(db, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          if (property !== 'batch') return value.bind(target);
          return async (statements: unknown[], ...rest: unknown[]) => {
            const current = hook;
            if (current !== undefined && !busy) {
              busy = true;
              try {
                await current(statements.length);
              } finally {
                busy = false;
              }
            }
            return value.call(target, statements, ...rest);
          };
        },
      });
    },
  };
}

export interface InterleavedSetup {
  /** PRICES=client, with the admin token `token` and customer tokens from `keys`; its clock is `clock`. */
  client: Fetcher;
  /** PRICES=catalog, over the same store and clock. */
  catalog: Fetcher;
  /**
   * PRICES=client over the same database and clock, as another process of
   * the service would be: it has read no cart yet (data/recent-carts.ts), so
   * its checkout's first attempt assumes no code.
   */
  elsewhere: Fetcher;
  token: string;
  keys: TokenMaker;
  clock: { now: () => number; advance: (ms: number) => void };
  /** Sets (or with undefined, clears) the hook run before each batch of both apps' requests. */
  beforeBatch: (hook: BatchHook | undefined) => void;
}

/** A merge's write and a checkout's attempt are each one batch of eight statements (data/merge.ts, data/checkout.ts). */
const STEP = 8;

let serial = 0;
const customer = (name: string) => `${name}-${Date.now().toString(36)}-${serial++}`;

/**
 * Merges (API.md §8) and checkouts (§5, §7) with another change landing
 * between the step's read and its write: each is planned again from the
 * carts as they then are, a bounded number of times. And what a store
 * whose PRICES setting changed does with the lines it holds.
 */
export function interleavedCases(setup: () => InterleavedSetup | Promise<InterleavedSetup>) {
  const on =
    (fetcher: Fetcher) =>
    (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      documentedSend(fetcher, method, path, body, headers);
  /** Runs `during` with `hook` before each batch, and clears it after, whatever happens. */
  const hooked = async <T>(s: InterleavedSetup, hook: BatchHook, during: () => Promise<T>) => {
    s.beforeBatch(hook);
    try {
      return await during();
    } finally {
      s.beforeBatch(undefined);
    }
  };

  describe('a merge whose carts move between its read and its write', () => {
    const start = async (s: InterleavedSetup, name: string) => {
      const call = on(s.client);
      const jwt = await s.keys.token(customer(name));
      const mine = await call('POST', '/v1/carts', { currency: 'USD', items: [line(1)] }, bearer(jwt));
      expect(mine.status).toBe(201);
      const anonymous = await call('POST', '/v1/carts', {
        currency: 'USD',
        items: [line(1, { quantity: 2 }), line(3)],
      });
      expect(anonymous.status).toBe(201);
      // Another device of the customer adds one more of line 1 to their cart.
      const another = async () => {
        const added = await call('POST', `/v1/carts/${mine.json.id}/items`, line(1), bearer(jwt));
        expect(added.status).toBe(200);
      };
      const merge = () =>
        call('POST', '/v1/customers/me/cart/merge', { cart_id: anonymous.json.id, mode: 'sum' }, bearer(jwt));
      return { call, jwt, mine: mine.json.id as string, anonymous: anonymous.json.id as string, another, merge };
    };

    it('plans it again from the carts as they then are, and applies it at the fifth attempt', async () => {
      const s = await setup();
      const t = await start(s, 'replanned');
      let writes = 0;
      const merged = await hooked(
        s,
        async (size) => {
          if (size !== STEP) return;
          writes += 1;
          if (writes <= 4) await t.another();
        },
        t.merge,
      );
      expect(writes).toBe(5);
      expect(merged.status).toBe(200);
      // 1, four more from the other device, and the anonymous 2; the version moved four times, then once.
      expect(merged.json).toMatchObject({ id: t.mine, version: 6, warnings: [] });
      expect(linesOf(merged)).toEqual([
        ['sku-1', 7],
        ['sku-3', 1],
      ]);
      expect((await t.call('GET', `/v1/carts/${t.anonymous}`)).status).toBe(404);
      const read = await t.call('GET', `/v1/carts/${t.mine}`, undefined, bearer(t.jwt));
      expect([read.json.version, linesOf(read)]).toEqual([6, linesOf(merged)]);
    });

    it('gives up after five attempts with 409 conflict, merging nothing and leaving the anonymous cart as it was', async () => {
      const s = await setup();
      const t = await start(s, 'restless');
      let writes = 0;
      const refused = await hooked(
        s,
        async (size) => {
          if (size !== STEP) return;
          writes += 1;
          // A sixth change would only land if a sixth attempt were made.
          if (writes <= 6) await t.another();
        },
        t.merge,
      );
      expect(writes).toBe(5);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/conflict',
        detail: 'The carts kept changing during the merge; try again.',
      });
      const anonymous = await t.call('GET', `/v1/carts/${t.anonymous}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.json).toMatchObject({ version: 1, customer_id: null });
      expect(linesOf(anonymous)).toEqual([
        ['sku-1', 2],
        ['sku-3', 1],
      ]);
      const mine = await t.call('GET', `/v1/carts/${t.mine}`, undefined, bearer(t.jwt));
      expect([mine.json.version, linesOf(mine)]).toEqual([6, [['sku-1', 6]]]);
    });

    it('with no open cart of the customer, binds the anonymous cart as it is after a change that landed before the bind', async () => {
      const s = await setup();
      const call = on(s.client);
      const sub = customer('adopter');
      const jwt = await s.keys.token(sub);
      const anonymous = await call('POST', '/v1/carts', { currency: 'USD', items: [line(4)] });
      const id = anonymous.json.id as string;
      // A merge with no customer cart reads both carts (2 statements), then binds and reads back (2).
      let pairs = 0;
      const adopted = await hooked(
        s,
        async (size) => {
          if (size !== 2) return;
          pairs += 1;
          if (pairs === 2) {
            const added = await call('POST', `/v1/carts/${id}/items`, line(5));
            expect(added.status).toBe(201);
          }
        },
        () => call('POST', '/v1/customers/me/cart/merge', { cart_id: id, mode: 'sum' }, bearer(jwt)),
      );
      expect(pairs).toBe(4);
      expect(adopted.status).toBe(200);
      expect(adopted.json).toMatchObject({ id, customer_id: sub, version: 3, warnings: [] });
      expect(linesOf(adopted)).toEqual([
        ['sku-4', 1],
        ['sku-5', 1],
      ]);
      expect((await call('GET', `/v1/carts/${id}`)).status).toBe(404);
      const mine = await call('GET', '/v1/customers/me/cart', undefined, bearer(jwt));
      expect([mine.json.id, mine.json.customer_id, mine.json.version]).toEqual([id, sub, 3]);
    });
  });

  describe('merging an anonymous cart at its expiry', () => {
    it('merges it a millisecond before its expires_at, and at exactly then finds it gone (404), whether or not the customer has a cart', async () => {
      const s = await setup();
      const call = on(s.client);
      const [early, late, lone] = [
        await call('POST', '/v1/carts', { currency: 'USD', items: [line(6)] }),
        await call('POST', '/v1/carts', { currency: 'USD', items: [line(7)] }),
        await call('POST', '/v1/carts', { currency: 'USD', items: [line(8)] }),
      ].map((reply) => reply.json as { id: string; expires_at: string });
      const expiresAt = Date.parse(late?.expires_at ?? '');
      expect(Date.parse(early?.expires_at ?? '')).toBe(expiresAt);
      s.clock.advance(expiresAt - 1 - s.clock.now());
      const jwt = await s.keys.token(customer('expiry'));
      const mine = await call('POST', '/v1/carts', { currency: 'USD', items: [line(1)] }, bearer(jwt));
      const merge = (id: string, who = jwt) =>
        call('POST', '/v1/customers/me/cart/merge', { cart_id: id, mode: 'sum' }, bearer(who));
      const merged = await merge(early?.id ?? '');
      expect(merged.status).toBe(200);
      expect(linesOf(merged)).toEqual([
        ['sku-1', 1],
        ['sku-6', 1],
      ]);
      s.clock.advance(1);
      expect(s.clock.now()).toBe(expiresAt);
      const gone = await merge(late?.id ?? '');
      expect(gone.status).toBe(404);
      expect(gone.json).toMatchObject({ type: '/problems/not-found', detail: 'No such cart (it may have expired).' });
      // A customer with no open cart: no cart to adopt either.
      const other = await s.keys.token(customer('expiry-lone'));
      const none = await merge(lone?.id ?? '', other);
      expect(none.status).toBe(404);
      expect(none.json.detail).toBe('No such cart (it may have expired).');
      expect((await call('GET', '/v1/customers/me/cart', undefined, bearer(other))).status).toBe(404);
      const read = await call('GET', `/v1/carts/${mine.json.id}`, undefined, bearer(jwt));
      expect([read.json.version, linesOf(read)]).toEqual([2, linesOf(merged)]);
    });
  });

  describe('a checkout whose cart moves between its attempts', () => {
    const start = async (s: InterleavedSetup) => {
      const call = on(s.client);
      const admin = { authorization: `Bearer ${s.token}` };
      const code = `MOVE${Date.now().toString(36).toUpperCase()}${serial++}`;
      expect(
        (await call('PUT', `/v1/admin/discounts/${code}`, { kind: 'percentage', percent_off_bp: 1000 }, admin)).status,
      ).toBe(201);
      const cart = await call('POST', '/v1/carts', { currency: 'USD', items: [line(900, { unit_price: 1000 })] });
      const id = cart.json.id as string;
      expect((await call('POST', `/v1/carts/${id}/discount-codes`, { code })).status).toBe(200);
      const another = async () => {
        const added = await call('POST', `/v1/carts/${id}/items`, line(900, { unit_price: 1000 }));
        expect(added.status).toBe(200);
      };
      const redemptions = async () => (await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json;
      // Checked out by a process that never read the cart: its first attempt assumes no code.
      const checkout = () => on(s.elsewhere)('POST', `/v1/carts/${id}/checkout`, {});
      const ordersOf = async () =>
        (await call('GET', '/v1/admin/orders?limit=200', undefined, admin)).json.orders.filter(
          (order: { cart_id: string }) => order.cart_id === id,
        );
      return { call, code, id, another, redemptions, ordersOf, checkout };
    };

    it('works the discounts out again from the cart as it then is, and places the order at the fifth attempt', async () => {
      const s = await setup();
      const t = await start(s);
      let attempts = 0;
      const placed = await hooked(
        s,
        async (size) => {
          if (size !== STEP) return;
          attempts += 1;
          // The first attempt assumes no code; each of the next three finds the cart moved since its read.
          if (attempts >= 2 && attempts <= 4) await t.another();
        },
        t.checkout,
      );
      expect(attempts).toBe(5);
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        cart_id: t.id,
        items: [{ product_id: 'sku-900', unit_price: 1000, quantity: 4, line_total: 4000 }],
        subtotal: 4000,
        discounts: [{ code: t.code, amount: 400 }],
        discount_total: 400,
        total: 3600,
      });
      expect((await t.redemptions()).redemptions).toBe(1);
      expect((await t.call('GET', `/v1/carts/${t.id}`)).json).toMatchObject({
        status: 'checked_out',
        order_id: placed.json.id,
        version: 6,
      });
    });

    it('gives up after five attempts with 409 conflict, placing and redeeming nothing', async () => {
      const s = await setup();
      const t = await start(s);
      let attempts = 0;
      const refused = await hooked(
        s,
        async (size) => {
          if (size !== STEP) return;
          attempts += 1;
          // A move before a sixth or seventh attempt would only land if there were one.
          if (attempts >= 2 && attempts <= 6) await t.another();
        },
        t.checkout,
      );
      expect(attempts).toBe(5);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/conflict',
        detail: 'The cart changed while it was being checked out; try again.',
      });
      expect(await t.ordersOf()).toEqual([]);
      expect((await t.redemptions()).redemptions).toBe(0);
      const cart = await t.call('GET', `/v1/carts/${t.id}`);
      expect(cart.json).toMatchObject({ status: 'open', order_id: null, version: 6, item_count: 5 });
      // Nothing stuck: a checkout left alone goes through.
      const placed = await t.call('POST', `/v1/carts/${t.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ subtotal: 5000, discount_total: 500, total: 4500 });
    });

    it('places the order without discounts when the cart’s only code was removed between attempts', async () => {
      const s = await setup();
      const t = await start(s);
      let attempts = 0;
      const placed = await hooked(
        s,
        async (size) => {
          if (size !== STEP) return;
          attempts += 1;
          if (attempts === 2) {
            const removed = await t.call('DELETE', `/v1/carts/${t.id}/discount-codes/${t.code}`);
            expect(removed.status).toBe(200);
          }
        },
        t.checkout,
      );
      // With the code: refused (no code assumed), then refused again (the code is gone); then none.
      expect(attempts).toBe(3);
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        subtotal: 1000,
        discounts: [],
        discount_total: 0,
        total: 1000,
        items: [{ product_id: 'sku-900', quantity: 1, discount_allocations: [] }],
      });
      expect((await t.redemptions()).redemptions).toBe(0);
      expect(await t.ordersOf()).toHaveLength(1);
    });
  });

  describe('a store whose PRICES setting changed', () => {
    it('checks out under PRICES=client a catalog line the catalog has since repriced, at the line’s price, repricing nothing', async () => {
      const s = await setup();
      const admin = { authorization: `Bearer ${s.token}` };
      const [catalog, client] = [on(s.catalog), on(s.client)];
      const id = freshSku('switch');
      expect(
        (await catalog('PUT', `/v1/admin/products/${id}`, { name: 'Switch', prices: { EUR: 1000 } }, admin)).status,
      ).toBe(201);
      const cart = await catalog('POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id, quantity: 2 }] });
      expect(cart.json.items).toMatchObject([{ unit_price: 1000, price_source: 'catalog' }]);
      expect(
        (await catalog('PUT', `/v1/admin/products/${id}`, { name: 'Switch', prices: { EUR: 1200 } }, admin)).status,
      ).toBe(200);
      const placed = await client('POST', `/v1/carts/${cart.json.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        cart_id: cart.json.id,
        items: [{ product_id: id, unit_price: 1000, quantity: 2, line_total: 2000 }],
        subtotal: 2000,
        total: 2000,
      });
      const after = await client('GET', `/v1/carts/${cart.json.id}`);
      expect(after.json).toMatchObject({ status: 'checked_out', version: 2, subtotal: 2000 });
      expect(after.json.items).toMatchObject([{ unit_price: 1000, price_source: 'catalog' }]);
    });
  });
}
