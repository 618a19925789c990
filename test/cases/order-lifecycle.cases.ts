import { describe, expect, it } from 'vitest';
import { documentedSend } from './catalog.cases.js';
import type { Fetcher } from './client.js';

/*
 * The order lifecycle (README, The order lifecycle), on an app with PRICES=client and the
 * admin token `token`: PATCH /v1/admin/orders/{orderId} moves an order
 * placed → paid → fulfilled, or placed | paid → cancelled, with its event
 * in the same step; cancelling gives back the discount redemptions.
 */

interface Order {
  id: string;
  status: string;
  version: number;
  status_history: Array<{ status: string; at: string }>;
  payment_reference: string | null;
  discounts: Array<{ code: string; amount: number }>;
  total: number;
}

/** Every move of the machine, and every other: [from, to, allowed]. */
const MACHINE: Record<string, string[]> = {
  placed: ['paid', 'cancelled'],
  paid: ['fulfilled', 'cancelled'],
  fulfilled: [],
  cancelled: [],
};
const STATUSES = ['placed', 'paid', 'fulfilled', 'cancelled'];
/** The moves that take an order from `placed` to `status`. */
const PATH_TO: Record<string, string[]> = {
  placed: [],
  paid: ['paid'],
  fulfilled: ['paid', 'fulfilled'],
  cancelled: ['cancelled'],
};

export function orderLifecycleCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  let serial = 0;
  const fresh = (what: string) => `${what}${Date.now().toString(36)}${serial++}`.toUpperCase();

  /** An order placed from a fresh one-line cart (with `code` attached, if given). */
  const placeOrder = async (code?: string): Promise<Order> => {
    const made = await call('POST', '/v1/carts', {
      currency: 'EUR',
      items: [{ product_id: 'sku-life', name: 'Life', unit_price: 1000, quantity: 2 }],
    });
    expect(made.status).toBe(201);
    if (code !== undefined)
      expect((await call('POST', `/v1/carts/${made.json.id}/discount-codes`, { code })).status).toBe(200);
    const placed = await call('POST', `/v1/carts/${made.json.id}/checkout`, {});
    expect(placed.status).toBe(201);
    return placed.json as Order;
  };
  const move = (orderId: string, body: unknown, headers: Record<string, string> = {}) =>
    call('PATCH', `/v1/admin/orders/${orderId}`, body, { ...admin, ...headers });
  const read = async (orderId: string) => {
    const reply = await call('GET', `/v1/orders/${orderId}`);
    expect(reply.status).toBe(200);
    return { order: reply.json as Order, etag: reply.headers.get('etag') };
  };
  /** The events of `orderId`, oldest first, by type. */
  const eventsOf = async (orderId: string) => {
    const reply = await call('GET', '/v1/admin/events?limit=200', undefined, admin);
    expect(reply.status).toBe(200);
    return (reply.json.events as Array<{ type: string; data: Order }>)
      .filter((event) => event.data.id === orderId)
      .reverse();
  };
  const percentCode = async (maxRedemptions: number) => {
    const code = fresh('LIFE');
    const put = await call(
      'PUT',
      `/v1/admin/discounts/${code}`,
      { kind: 'percentage', percent_off_bp: 1000, max_redemptions: maxRedemptions },
      admin,
    );
    expect(put.status).toBe(201);
    return code;
  };
  const redemptions = async (code: string) =>
    (await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions as number;
  /** An order moved along the machine to `status`. */
  const orderIn = async (status: string) => {
    const order = await placeOrder();
    for (const to of PATH_TO[status] as string[]) expect((await move(order.id, { status: to })).status).toBe(200);
    return order.id;
  };

  describe('PATCH /v1/admin/orders/{orderId}', () => {
    it('places an order at version 1 (ETag "1") with its history, and moves it placed → paid → fulfilled, each move in its event', async () => {
      const made = await call('POST', '/v1/carts', {
        currency: 'EUR',
        items: [{ product_id: 'sku-life', name: 'Life', unit_price: 1000 }],
      });
      const placed = await call('POST', `/v1/carts/${made.json.id}/checkout`, {});
      expect(placed.headers.get('etag')).toBe('"1"');
      const order = placed.json as Order;
      expect(order).toMatchObject({ status: 'placed', version: 1, payment_reference: null });
      expect(order.status_history).toEqual([
        { status: 'placed', at: (order as unknown as { created_at: string }).created_at },
      ]);
      expect((await read(order.id)).etag).toBe('"1"');

      const paid = await move(order.id, { status: 'paid', payment_reference: 'pi_123' });
      expect(paid.status).toBe(200);
      expect(paid.headers.get('etag')).toBe('"2"');
      expect(paid.json).toMatchObject({ status: 'paid', version: 2, payment_reference: 'pi_123' });
      expect(paid.json.status_history.map((h: { status: string }) => h.status)).toEqual(['placed', 'paid']);
      // What was placed does not move.
      const placedPart = (o: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(o).filter(
            ([key]) => !['status', 'version', 'status_history', 'payment_reference'].includes(key),
          ),
        );
      expect(placedPart(paid.json)).toEqual(placedPart(order as unknown as Record<string, unknown>));

      // A move without payment_reference keeps the one set.
      const fulfilled = await move(order.id, { status: 'fulfilled' }, { 'if-match': '"2"' });
      expect(fulfilled.status).toBe(200);
      expect(fulfilled.headers.get('etag')).toBe('"3"');
      expect(fulfilled.json).toMatchObject({ status: 'fulfilled', version: 3, payment_reference: 'pi_123' });
      expect(fulfilled.json.status_history.map((h: { status: string }) => h.status)).toEqual([
        'placed',
        'paid',
        'fulfilled',
      ]);
      const times = fulfilled.json.status_history.map((h: { at: string }) => Date.parse(h.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const now = await read(order.id);
      expect([now.order, now.etag]).toEqual([fulfilled.json, '"3"']);
      // The admin listing shows the order as it is now.
      const listed = await call('GET', '/v1/admin/orders?limit=200', undefined, admin);
      expect(listed.json.orders.find((o: Order) => o.id === order.id)).toEqual(fulfilled.json);

      const events = await eventsOf(order.id);
      expect(events.map((event) => event.type)).toEqual(['order.placed', 'order.paid', 'order.fulfilled']);
      expect(events[1]?.data).toEqual(paid.json);
      expect(events[2]?.data).toEqual(fulfilled.json);
    });

    it.each(
      STATUSES.flatMap((from) =>
        STATUSES.filter((to) => !(MACHINE[from] as string[]).includes(to)).map((to) => [from, to] as const),
      ),
    )('refuses %s → %s with 409 transition-invalid naming the moves allowed, nothing changed', async (from, to) => {
      const orderId = await orderIn(from);
      const before = await read(orderId);
      const eventsBefore = await eventsOf(orderId);
      const refused = await move(orderId, { status: to, payment_reference: 'pi_never' });
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/transition-invalid',
        status: 409,
        order_status: from,
        allowed: MACHINE[from],
      });
      expect(refused.json.detail).toContain(`is ${from} and cannot become ${to}`);
      expect(await read(orderId)).toEqual(before);
      expect(await eventsOf(orderId)).toEqual(eventsBefore);
    });

    it.each([['placed'], ['paid']])(
      'cancels a %s order, giving back the redemption of its code in the same step, once',
      async (from) => {
        const code = await percentCode(1);
        const order = await placeOrder(code);
        expect(order.discounts).toEqual([{ code, amount: 200 }]);
        expect(await redemptions(code)).toBe(1);
        for (const to of PATH_TO[from] as string[]) expect((await move(order.id, { status: to })).status).toBe(200);
        const cancelled = await move(order.id, { status: 'cancelled' });
        expect(cancelled.status).toBe(200);
        expect(cancelled.json).toMatchObject({ status: 'cancelled', discounts: [{ code, amount: 200 }] });
        expect(await redemptions(code)).toBe(0);
        // A second cancellation gives nothing back again.
        expect((await move(order.id, { status: 'cancelled' })).status).toBe(409);
        expect(await redemptions(code)).toBe(0);
        const events = await eventsOf(order.id);
        expect(events.map((event) => event.type).filter((type) => type === 'order.cancelled')).toHaveLength(1);
        expect(events.at(-1)?.data).toEqual(cancelled.json);
        // The code, used up before, serves another order now.
        expect((await placeOrder(code)).discounts).toEqual([{ code, amount: 200 }]);
        expect(await redemptions(code)).toBe(1);
      },
    );

    it('gives back one redemption per cancelled order, and none for an order that used no code', async () => {
      const code = await percentCode(5);
      const first = await placeOrder(code);
      await placeOrder(code);
      expect(await redemptions(code)).toBe(2);
      const plain = await placeOrder();
      expect((await move(plain.id, { status: 'cancelled' })).status).toBe(200);
      expect(await redemptions(code)).toBe(2);
      expect((await move(first.id, { status: 'cancelled' })).status).toBe(200);
      expect(await redemptions(code)).toBe(1);
    });

    it('lets exactly one of racing moves of one order through: two cancels give back once, one event', async () => {
      const code = await percentCode(1);
      const order = await placeOrder(code);
      const replies = await Promise.all([
        move(order.id, { status: 'cancelled' }),
        move(order.id, { status: 'cancelled' }),
        move(order.id, { status: 'paid' }),
        move(order.id, { status: 'cancelled' }),
      ]);
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(3);
      const winner = replies.find((reply) => reply.status === 200)?.json as Order;
      const events = await eventsOf(order.id);
      expect(events.map((event) => event.type)).toEqual(['order.placed', `order.${winner.status}`]);
      expect(await redemptions(code)).toBe(winner.status === 'cancelled' ? 0 : 1);
      if (winner.status === 'paid') {
        // Paid first: one of the cancels may follow only now.
        expect((await move(order.id, { status: 'cancelled' })).status).toBe(200);
        expect(await redemptions(code)).toBe(0);
      }
    });

    it('honours If-Match: a stale version is 412 with the current ETag and nothing changed; the current one and * move', async () => {
      const order = await placeOrder();
      const stale = await move(order.id, { status: 'paid' }, { 'if-match': '"2"' });
      expect(stale.status).toBe(412);
      expect(stale.json.type).toBe('/problems/precondition-failed');
      expect(stale.headers.get('etag')).toBe('"1"');
      expect((await read(order.id)).order).toEqual(order);
      // A weak tag never matches (strong comparison); a list matches by any of its tags.
      expect((await move(order.id, { status: 'paid' }, { 'if-match': 'W/"1"' })).status).toBe(412);
      const paid = await move(order.id, { status: 'paid' }, { 'if-match': '"7", "1"' });
      expect([paid.status, paid.json.version]).toEqual([200, 2]);
      const done = await move(order.id, { status: 'fulfilled' }, { 'if-match': '*' });
      expect([done.status, done.json.version]).toEqual([200, 3]);
      // A stale If-Match on an order that also cannot move: the precondition is judged first.
      expect((await move(order.id, { status: 'paid' }, { 'if-match': '"1"' })).status).toBe(412);
      const malformed = await move(order.id, { status: 'paid' }, { 'if-match': '1' });
      expect([malformed.status, malformed.json.type]).toEqual([400, '/problems/validation-failed']);
    });

    it('refuses bad input with 422 at the field, nothing changed', async () => {
      const order = await placeOrder();
      const reference = (n: number) => 'r'.repeat(n);
      for (const [body, path] of [
        [{ status: 'shipped' }, 'status'],
        [{ status: 'PAID' }, 'status'],
        [{}, 'status'],
        [{ status: 42 }, 'status'],
        [{ status: 'paid', payment_reference: '' }, 'payment_reference'],
        [{ status: 'paid', payment_reference: reference(256) }, 'payment_reference'],
        [{ status: 'paid', payment_reference: 7 }, 'payment_reference'],
        [{ status: 'paid', payment_reference: 'pi_\u0000' }, 'payment_reference'],
        [{ status: 'paid', payment_reference: 'pi_\ud800' }, 'payment_reference'],
        [{ status: 'paid', paid_at: 'now' }, ''],
      ] as const) {
        const reply = await move(order.id, body);
        expect([reply.status, reply.json.type], JSON.stringify(body)).toEqual([422, '/problems/validation-failed']);
        expect(reply.json.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      expect((await read(order.id)).order).toEqual(order);
      const longest = await move(order.id, { status: 'paid', payment_reference: reference(255) });
      expect([longest.status, longest.json.payment_reference]).toEqual([200, reference(255)]);
    });

    it('answers only the admin: 401 without a token, 403 with a wrong one, 404 for an order there is not', async () => {
      const order = await placeOrder();
      expect((await call('PATCH', `/v1/admin/orders/${order.id}`, { status: 'paid' })).status).toBe(401);
      const wrong = await call(
        'PATCH',
        `/v1/admin/orders/${order.id}`,
        { status: 'paid' },
        { authorization: 'Bearer not-the-admin-token-at-all' },
      );
      expect(wrong.status).toBe(403);
      expect((await read(order.id)).order).toEqual(order);
      for (const id of ['ord_AAAAAAAAAAAAAAAAAAAAAA', 'not-an-order']) {
        const missing = await move(id, { status: 'paid' });
        expect([missing.status, missing.json.type]).toEqual([404, '/problems/not-found']);
      }
    });
  });
}
