import { describe, expect, it } from 'vitest';
import { documentedSend, freshSku } from './catalog.cases.js';
import type { Fetcher } from './client.js';

/*
 * Checkout taking stock (README, Stock, `INVENTORY=track`) and a cancellation
 * giving it back (§13), on two apps over one database, each with
 * PRICES=client and the admin token `token`: `track` (INVENTORY=track) and
 * `none` (INVENTORY unset). Stock is never negative and never counted twice.
 */

export interface StockApps {
  track: Fetcher;
  none: Fetcher;
}

export function stockCheckoutCases(apps: StockApps, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (fetcher: Fetcher, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const stockOf = async (sku: string) =>
    (await call(apps.track, 'GET', `/v1/admin/inventory/${sku}`, undefined, admin)).json.on_hand as number;
  const tracked = async (onHand: number) => {
    const sku = freshSku('tracked');
    expect((await call(apps.track, 'PUT', `/v1/admin/inventory/${sku}`, { on_hand: onHand }, admin)).status).toBe(201);
    return sku;
  };
  /** A cart holding `lines` (product, quantity, metadata), made through `fetcher`. */
  const cartOf = async (fetcher: Fetcher, lines: Array<[sku: string, quantity: number, tag?: string]>) => {
    const made = await call(fetcher, 'POST', '/v1/carts', {
      currency: 'EUR',
      items: lines.map(([sku, quantity, tag]) => ({
        product_id: sku,
        name: sku,
        unit_price: 500,
        quantity,
        metadata: tag === undefined ? {} : { tag },
      })),
    });
    expect(made.status).toBe(201);
    return made.json as { id: string; version: number; items: Array<{ id: number }> };
  };
  const checkout = (fetcher: Fetcher, cartId: string) => call(fetcher, 'POST', `/v1/carts/${cartId}/checkout`, {});
  const cancel = (orderId: string) =>
    call(apps.track, 'PATCH', `/v1/admin/orders/${orderId}`, { status: 'cancelled' }, admin);

  describe('checkout with INVENTORY=track', () => {
    it('takes the units of every tracked product across its lines in the same step, down to exactly 0; untracked products are not counted', async () => {
      const mug = await tracked(5);
      const loose = freshSku('untracked');
      const cart = await cartOf(apps.track, [
        [mug, 2, 'blue'],
        [mug, 3, 'red'],
        [loose, 7],
      ]);
      const placed = await checkout(apps.track, cart.id);
      expect(placed.status).toBe(201);
      expect(await stockOf(mug)).toBe(0);
      expect((await call(apps.track, 'GET', `/v1/admin/inventory/${loose}`, undefined, admin)).status).toBe(404);
    });

    it('refuses a cart holding more than is on hand with 409 insufficient-stock, listing each short line; nothing changed', async () => {
      const mug = await tracked(4);
      const tee = await tracked(10);
      const cart = await cartOf(apps.track, [
        [mug, 2, 'blue'],
        [tee, 1],
        [mug, 3, 'red'],
      ]);
      const refused = await checkout(apps.track, cart.id);
      expect(refused.status).toBe(409);
      expect(refused.json.type).toBe('/problems/insufficient-stock');
      const [blue, teeLine, red] = cart.items.map((item) => item.id);
      expect(refused.json.errors).toEqual([
        { path: `items.${blue}`, message: 'Only 4 available.', available: 4 },
        { path: `items.${red}`, message: 'Only 4 available.', available: 4 },
      ]);
      expect(refused.json.errors.map((e: { path: string }) => e.path)).not.toContain(`items.${teeLine}`);
      expect([await stockOf(mug), await stockOf(tee)]).toEqual([4, 10]);
      expect((await call(apps.track, 'GET', `/v1/carts/${cart.id}`)).json).toMatchObject({
        status: 'open',
        version: cart.version,
      });
      // One unit more on hand, and the same cart goes through.
      expect(
        (await call(apps.track, 'POST', `/v1/admin/inventory/${mug}/adjustments`, { delta: 1 }, admin)).status,
      ).toBe(200);
      expect((await checkout(apps.track, cart.id)).status).toBe(201);
      expect([await stockOf(mug), await stockOf(tee)]).toEqual([0, 9]);
    });

    it('takes nothing with INVENTORY unset, however much the cart holds', async () => {
      const mug = await tracked(1);
      const cart = await cartOf(apps.none, [[mug, 3]]);
      expect((await checkout(apps.none, cart.id)).status).toBe(201);
      expect(await stockOf(mug)).toBe(1);
    });

    it('never oversells: 100 concurrent checkouts of 100 carts holding 1 unit each, 10 on hand, place exactly 10 orders', () =>
      oversellRace(apps.track, token, 1));

    it('never oversells with 3 units a cart: 100 carts, 10 on hand, exactly 3 orders and 1 left', () =>
      oversellRace(apps.track, token, 3));
  });

  describe('cancelling an order gives back the stock it took', () => {
    it('gives back exactly what the order took, once, in the same step as the cancellation', async () => {
      const mug = await tracked(6);
      const order = (
        await checkout(
          apps.track,
          (
            await cartOf(apps.track, [
              [mug, 2, 'a'],
              [mug, 1, 'b'],
            ])
          ).id,
        )
      ).json;
      expect(await stockOf(mug)).toBe(3);
      // Counted meanwhile: the count set is a fact, and the units given back add to it.
      expect((await call(apps.track, 'PUT', `/v1/admin/inventory/${mug}`, { on_hand: 10 }, admin)).status).toBe(200);
      expect((await cancel(order.id)).status).toBe(200);
      expect(await stockOf(mug)).toBe(13);
      expect((await cancel(order.id)).status).toBe(409);
      expect(await stockOf(mug)).toBe(13);
    });

    it('gives back past the limit of a count, and the count then still comes down', async () => {
      const mug = await tracked(2);
      const order = (await checkout(apps.track, (await cartOf(apps.track, [[mug, 2]])).id)).json;
      expect(
        (await call(apps.track, 'PUT', `/v1/admin/inventory/${mug}`, { on_hand: 1_000_000_000 }, admin)).status,
      ).toBe(200);
      expect((await cancel(order.id)).status).toBe(200);
      expect(await stockOf(mug)).toBe(1_000_000_002);
      const adjust = (delta: number) =>
        call(apps.track, 'POST', `/v1/admin/inventory/${mug}/adjustments`, { delta }, admin);
      expect([(await adjust(1)).status, await stockOf(mug)]).toEqual([409, 1_000_000_002]);
      expect((await adjust(-1)).json.on_hand).toBe(1_000_000_001);
      expect((await adjust(-1)).json.on_hand).toBe(1_000_000_000);
    });

    it('gives back nothing an order did not take: placed without INVENTORY, or before the product was tracked', async () => {
      const mug = await tracked(5);
      const untracked = await checkout(apps.none, (await cartOf(apps.none, [[mug, 2]])).id);
      const late = freshSku('late');
      const before = await checkout(apps.track, (await cartOf(apps.track, [[late, 2]])).id);
      expect((await call(apps.track, 'PUT', `/v1/admin/inventory/${late}`, { on_hand: 1 }, admin)).status).toBe(201);
      expect((await cancel(untracked.json.id)).status).toBe(200);
      expect((await cancel(before.json.id)).status).toBe(200);
      expect([await stockOf(mug), await stockOf(late)]).toEqual([5, 1]);
    });

    it('keeps on_hand + units in placed orders equal to the stock there was while cancels race checkouts', async () => {
      const mug = await tracked(6);
      const first = await Promise.all(Array.from({ length: 3 }, () => cartOf(apps.track, [[mug, 2]])));
      const orders = (await Promise.all(first.map((cart) => checkout(apps.track, cart.id)))).map((r) => r.json.id);
      expect(await stockOf(mug)).toBe(0);
      const later = await Promise.all(Array.from({ length: 6 }, () => cartOf(apps.track, [[mug, 2]])));
      const replies = await Promise.all([
        ...orders.map((id) => cancel(id)),
        ...orders.map((id) => cancel(id)),
        ...later.map((cart) => checkout(apps.track, cart.id)),
      ]);
      const cancelled = replies.slice(0, 6).filter((reply) => reply.status === 200).length;
      const placed = replies.slice(6).filter((reply) => reply.status === 201).length;
      expect(cancelled).toBe(3);
      expect(placed).toBeLessThanOrEqual(3);
      expect(await stockOf(mug)).toBe(6 - 2 * placed);
    });
  });
}

/**
 * A hundred carts, each holding `units` of one product with 10 on hand,
 * checked out at once through `fetcher` (an app with INVENTORY=track and
 * PRICES=client): exactly floor(10 / units) orders, the rest 409
 * insufficient-stock, and what is left on hand is 10 less what they took.
 */
export async function oversellRace(fetcher: Fetcher, token: string, units: number) {
  const admin = { authorization: `Bearer ${token}` };
  const sku = freshSku('race');
  expect((await documentedSend(fetcher, 'PUT', `/v1/admin/inventory/${sku}`, { on_hand: 10 }, admin)).status).toBe(201);
  const carts = await Promise.all(
    Array.from({ length: 100 }, async () => {
      const made = await documentedSend(fetcher, 'POST', '/v1/carts', {
        currency: 'EUR',
        items: [{ product_id: sku, name: sku, unit_price: 500, quantity: units }],
      });
      expect(made.status).toBe(201);
      return made.json.id as string;
    }),
  );
  const replies = await Promise.all(carts.map((id) => documentedSend(fetcher, 'POST', `/v1/carts/${id}/checkout`, {})));
  const placed = Math.floor(10 / units);
  expect(replies.filter((reply) => reply.status === 201)).toHaveLength(placed);
  const refused = replies.filter((reply) => reply.status !== 201);
  expect(refused.map((reply) => `${reply.status} ${reply.json.type}`)).toEqual(
    refused.map(() => '409 /problems/insufficient-stock'),
  );
  const left = await documentedSend(fetcher, 'GET', `/v1/admin/inventory/${sku}`, undefined, admin);
  expect(left.json.on_hand).toBe(10 - placed * units);
}
