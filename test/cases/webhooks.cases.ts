import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/data/events.js';
import { dispatchDue } from '../../src/events/dispatch.js';
import type { Deliver } from '../../src/events/webhook.js';
import { documentedSend, freshSku } from './catalog.cases.js';
import type { Fetcher } from './client.js';
import { DAY_MS } from './clock.js';
import { freshCode } from './discounts.cases.js';
import { walkPages } from './walk.js';

/** A webhook receiver for the tests: it answers each delivery with the next status of its script (then 200). */
export interface Receiver {
  url: string;
  fetch: Deliver;
  /** Every delivery it received, in order. */
  received: Array<{ headers: Record<string, string>; body: string }>;
  script: number[];
}

export interface WebhookSetup {
  fetcher: Fetcher;
  token: string;
  secret: string;
  events: EventStore;
  receiver: Receiver;
  /** The app's clock: tests move it instead of sleeping. */
  clock: { now: () => number; advance: (ms: number) => void };
  maxAttempts: number;
  /** The app's EVENT_RETENTION_DAYS, which `purge` applies. */
  retentionDays: number;
  /** The purge of the app's store, at a time, with the app's settings. */
  purge: (now: number) => Promise<{ carts: number; events: number }>;
}

/** Events and signed webhooks (API.md §6), delivered at least once. */
export function webhookCases(setup: () => WebhookSetup) {
  const placeOrder = async (s: WebhookSetup) => {
    const admin = { authorization: `Bearer ${s.token}` };
    const id = freshSku('wh');
    await documentedSend(s.fetcher, 'PUT', `/v1/admin/products/${id}`, { name: 'Hooked', prices: { EUR: 500 } }, admin);
    const cart = await documentedSend(s.fetcher, 'POST', '/v1/carts', { currency: 'EUR', items: [{ product_id: id }] });
    const order = await documentedSend(s.fetcher, 'POST', `/v1/carts/${cart.json.id}/checkout`, {
      email: 'b@example.com',
    });
    expect(order.status).toBe(201);
    return order.json as { id: string };
  };
  const eventOf = async (s: WebhookSetup, orderId: string) => {
    const page = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?limit=200', undefined, {
      authorization: `Bearer ${s.token}`,
    });
    expect(page.status).toBe(200);
    const found = page.json.events.find((e: { data: { id: string } }) => e.data.id === orderId);
    expect(found, `no event for ${orderId}`).toBeDefined();
    return found;
  };
  /** Delivers what is due (of `ids`, when given: what a Workers queue message names). */
  const dispatch = (s: WebhookSetup, ids?: string[]) =>
    dispatchDue(
      {
        events: s.events,
        fetch: s.receiver.fetch,
        now: s.clock.now,
        config: { WEBHOOK_URL: s.receiver.url, WEBHOOK_SECRET: s.secret, WEBHOOK_MAX_ATTEMPTS: s.maxAttempts },
      },
      50,
      ids,
    );
  const deliveriesOf = (s: WebhookSetup, eventId: string) =>
    s.receiver.received.filter((r) => r.headers['webhook-id'] === eventId);
  /** The event `id` as the admin listing shows it now, or undefined when it is not listed. */
  const listed = async (s: WebhookSetup, id: string) => {
    const page = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?limit=200', undefined, {
      authorization: `Bearer ${s.token}`,
    });
    expect(page.status).toBe(200);
    expect(page.json.next_cursor).toBeNull();
    return page.json.events.find((e: { id: string }) => e.id === id);
  };

  describe('events and webhooks', () => {
    it('records order.placed with the order, and delivers it signed so a Standard Webhooks library verifies it', async () => {
      const s = setup();
      const order = await placeOrder(s);
      const pending = await eventOf(s, order.id);
      expect(pending).toMatchObject({
        specversion: '1.0',
        source: '/edgecart',
        type: 'order.placed',
        datacontenttype: 'application/json',
        status: 'pending',
        attempts: 0,
        last_error: null,
      });
      expect(pending.id).toMatch(/^evt_[A-Za-z0-9_-]{22}$/);
      expect(pending.data).toEqual((await documentedSend(s.fetcher, 'GET', `/v1/orders/${order.id}`)).json);
      await dispatch(s);
      const [delivery] = deliveriesOf(s, pending.id);
      expect(delivery).toBeDefined();
      const verified = new Webhook(s.secret).verify(delivery?.body ?? '', delivery?.headers ?? {});
      const { status: _s, attempts: _a, last_error: _l, next_attempt_at: _n, ...envelope } = pending;
      expect(verified).toEqual(envelope);
      expect(delivery?.headers['content-type']).toBe('application/json');
      // Signed with another secret, the same delivery does not verify.
      expect(() =>
        new Webhook(`whsec_${btoa('another secret, 32 bytes long!!!')}`).verify(
          delivery?.body ?? '',
          delivery?.headers ?? {},
        ),
      ).toThrow();
      expect(await eventOf(s, order.id)).toMatchObject({ status: 'delivered', attempts: 1, next_attempt_at: null });
    });

    it('retries with backoff: a receiver answering 500 twice then 200 gets the event on the third attempt', async () => {
      const s = setup();
      const order = await placeOrder(s);
      const event = await eventOf(s, order.id);
      s.receiver.script.push(500, 500);
      await dispatch(s);
      const first = await eventOf(s, order.id);
      expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500' });
      expect(Date.parse(first.next_attempt_at)).toBe(s.clock.now() + 10_000);
      await dispatch(s);
      expect(deliveriesOf(s, event.id)).toHaveLength(1);
      s.clock.advance(10_000);
      await dispatch(s);
      expect(await eventOf(s, order.id)).toMatchObject({ status: 'pending', attempts: 2 });
      s.clock.advance(60_000);
      await dispatch(s);
      expect(await eventOf(s, order.id)).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
      const deliveries = deliveriesOf(s, event.id);
      expect(deliveries).toHaveLength(3);
      expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
    });

    it('ends failed after WEBHOOK_MAX_ATTEMPTS, and a redelivery sends it again', async () => {
      const s = setup();
      const order = await placeOrder(s);
      const event = await eventOf(s, order.id);
      s.receiver.script.push(...Array.from({ length: s.maxAttempts }, () => 503));
      for (let i = 0; i < s.maxAttempts + 2; i++) {
        await dispatch(s);
        s.clock.advance(DAY_MS);
      }
      expect(deliveriesOf(s, event.id)).toHaveLength(s.maxAttempts);
      expect(await eventOf(s, order.id)).toMatchObject({
        status: 'failed',
        attempts: s.maxAttempts,
        last_error: 'HTTP 503',
        next_attempt_at: null,
      });
      const failed = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?status=failed&limit=200', undefined, {
        authorization: `Bearer ${s.token}`,
      });
      expect(failed.json.events.map((e: { id: string }) => e.id)).toContain(event.id);
      const again = await documentedSend(s.fetcher, 'POST', `/v1/admin/events/${event.id}/redeliver`, undefined, {
        authorization: `Bearer ${s.token}`,
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ id: event.id, status: 'pending', attempts: 0 });
      await dispatch(s);
      expect(deliveriesOf(s, event.id)).toHaveLength(s.maxAttempts + 1);
      expect(await eventOf(s, order.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      const missing = await documentedSend(
        s.fetcher,
        'POST',
        '/v1/admin/events/evt_AAAAAAAAAAAAAAAAAAAAAA/redeliver',
        undefined,
        { authorization: `Bearer ${s.token}` },
      );
      expect(missing.status).toBe(404);
    });

    it('writes cart.expired for an expired cart that held lines and was never checked out, and drops delivered events after their retention', async () => {
      const s = setup();
      const admin = { authorization: `Bearer ${s.token}` };
      const id = freshSku('exp');
      await documentedSend(
        s.fetcher,
        'PUT',
        `/v1/admin/products/${id}`,
        { name: 'Expiring', prices: { EUR: 300 } },
        admin,
      );
      const full = (
        await documentedSend(s.fetcher, 'POST', '/v1/carts', {
          currency: 'EUR',
          items: [{ product_id: id, quantity: 2 }],
        })
      ).json;
      const empty = (await documentedSend(s.fetcher, 'POST', '/v1/carts', { currency: 'EUR' })).json;
      const order = await placeOrder(s);
      await dispatch(s);
      s.clock.advance(31 * DAY_MS);
      await s.purge(s.clock.now());
      const page = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?limit=200', undefined, admin);
      const expiredOf = (cartId: string) =>
        page.json.events.filter(
          (e: { type: string; data: { id: string } }) => e.type === 'cart.expired' && e.data.id === cartId,
        );
      expect(expiredOf(full.id)).toHaveLength(1);
      expect(expiredOf(full.id)[0]).toMatchObject({
        status: 'pending',
        source: '/edgecart',
        data: { id: full.id, subtotal: 600, items: [{ product_id: id, quantity: 2 }] },
      });
      expect(expiredOf(empty.id)).toEqual([]);
      expect(
        page.json.events
          .filter((e: { type: string }) => e.type === 'cart.expired')
          .map((e: { data: { order_id: string | null } }) => e.data.order_id),
      ).not.toContain(order.id);
      // Delivered more than EVENT_RETENTION_DAYS ago: gone; the order stays.
      expect(page.json.events.some((e: { data: { id: string } }) => e.data.id === order.id)).toBe(false);
      expect((await documentedSend(s.fetcher, 'GET', `/v1/orders/${order.id}`)).status).toBe(200);
      // The next dispatch delivers the cart.expired event, signed, and records it delivered.
      const [expired] = expiredOf(full.id);
      const before = s.receiver.received.length;
      await dispatch(s);
      const deliveries = deliveriesOf(s, expired.id);
      expect(deliveries).toHaveLength(1);
      const [delivery] = deliveries;
      const { status: _s, attempts: _a, last_error: _l, next_attempt_at: _n, ...envelope } = expired;
      expect(JSON.parse(delivery?.body ?? '')).toEqual(envelope);
      // Signed at the app's clock, 31 days ahead: checked against the secret, not a receiver's wall clock.
      const timestamp = Number(delivery?.headers['webhook-timestamp']);
      expect(timestamp).toBe(Math.floor(s.clock.now() / 1000));
      expect(delivery?.headers['webhook-signature']).toBe(
        new Webhook(s.secret).sign(expired.id, new Date(timestamp * 1000), delivery?.body ?? ''),
      );
      expect(await listed(s, expired.id)).toMatchObject({
        type: 'cart.expired',
        status: 'delivered',
        attempts: 1,
        last_error: null,
        next_attempt_at: null,
      });
      // Nothing was sent for the empty cart.
      const sent = s.receiver.received.slice(before).map((r) => JSON.parse(r.body) as { data: { id: string } });
      expect(sent.filter((event) => event.data.id === empty.id)).toEqual([]);
    });

    it('shows an expired cart in cart.expired with its discounts, as a read at that moment would', async () => {
      const s = setup();
      const admin = { authorization: `Bearer ${s.token}` };
      const id = freshSku('expd');
      await documentedSend(s.fetcher, 'PUT', `/v1/admin/products/${id}`, { name: 'Off', prices: { EUR: 1000 } }, admin);
      const code = freshCode('EXP');
      const put = { kind: 'percentage', percent_off_bp: 1000 };
      expect((await documentedSend(s.fetcher, 'PUT', `/v1/admin/discounts/${code}`, put, admin)).status).toBe(201);
      const cart = (
        await documentedSend(s.fetcher, 'POST', '/v1/carts', {
          currency: 'EUR',
          items: [{ product_id: id, quantity: 2 }],
        })
      ).json;
      const attached = await documentedSend(s.fetcher, 'POST', `/v1/carts/${cart.id}/discount-codes`, { code });
      expect(attached.json).toMatchObject({ subtotal: 2000, discount_total: 200, total: 1800 });
      s.clock.advance(31 * DAY_MS);
      await s.purge(s.clock.now());
      const page = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?limit=200', undefined, admin);
      const [event] = page.json.events.filter(
        (e: { type: string; data: { id: string } }) => e.type === 'cart.expired' && e.data.id === cart.id,
      );
      expect(event?.data).toMatchObject({
        subtotal: 2000,
        discount_total: 200,
        total: 1800,
        discount_codes: [{ code, applicable: true, amount: 200 }],
        items: [{ product_id: id, discount_allocations: [{ code, amount: 200 }] }],
      });
    });

    it('keeps a delivered event a minute later, at EVENT_RETENTION_DAYS minus 1 ms and exactly then, and purges it 1 ms after', async () => {
      const s = setup();
      const order = await placeOrder(s);
      await dispatch(s);
      const { id } = await eventOf(s, order.id);
      const deliveredAt = s.clock.now();
      const retention = s.retentionDays * DAY_MS;
      const purgedAt = async (sinceDelivery: number) => {
        s.clock.advance(deliveredAt + sinceDelivery - s.clock.now());
        await s.purge(s.clock.now());
        return listed(s, id);
      };
      for (const kept of [60_000, retention - 1, retention]) {
        expect(await purgedAt(kept), `${kept} ms after delivery`).toMatchObject({
          id,
          status: 'delivered',
          attempts: 1,
          data: { id: order.id },
        });
      }
      expect(await purgedAt(retention + 1)).toBeUndefined();
      expect((await documentedSend(s.fetcher, 'GET', `/v1/orders/${order.id}`)).status).toBe(200);
    });

    it('pages through events with limit=1: each once, newest first (two of one millisecond in the order written), ending with no next page', async () => {
      const s = setup();
      const mine: string[] = [];
      // The first two in one millisecond, the third in the next.
      for (const step of [1, 0, 1]) {
        s.clock.advance(step);
        mine.push((await eventOf(s, (await placeOrder(s)).id)).id);
      }
      const admin = { authorization: `Bearer ${s.token}` };
      const all = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?limit=200', undefined, admin);
      expect(all.json.next_cursor).toBeNull();
      const walked = await walkPages<{ id: string; time: string }>(
        s.fetcher,
        '/v1/admin/events?limit=1',
        'events',
        admin,
        all.json.events.length + 2,
      );
      const ids = walked.map((e) => e.id);
      expect(ids).toEqual(all.json.events.map((e: { id: string }) => e.id));
      expect(new Set(ids).size).toBe(ids.length);
      const times = walked.map((e) => Date.parse(e.time));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(ids.slice(0, 3)).toEqual([...mine].reverse());
      // limit is 1–200 (200 was read above), and a cursor must be one the service gave out.
      for (const query of ['limit=0', 'limit=201', 'status=sent', 'cursor=not-a-cursor', `cursor=${btoa('[1,"x"]')}`]) {
        const reply = await documentedSend(s.fetcher, 'GET', `/v1/admin/events?${query}`, undefined, admin);
        expect([reply.status, reply.json.type], query).toEqual([422, '/problems/validation-failed']);
      }
    });

    it('keeps the status filter on every page: the next page of status=pending is pending too', async () => {
      const s = setup();
      const admin = { authorization: `Bearer ${s.token}` };
      // Two delivered, then two pending: newest first, a second page without the filter would start with a delivered one.
      await placeOrder(s);
      await placeOrder(s);
      await dispatch(s);
      s.clock.advance(1);
      const pending = [
        (await eventOf(s, (await placeOrder(s)).id)).id,
        (await eventOf(s, (await placeOrder(s)).id)).id,
      ];
      const all = await documentedSend(s.fetcher, 'GET', '/v1/admin/events?status=pending&limit=200', undefined, admin);
      const walked = await walkPages<{ id: string; status: string }>(
        s.fetcher,
        '/v1/admin/events?status=pending&limit=1',
        'events',
        admin,
        all.json.events.length + 2,
      );
      expect(walked.map((e) => e.status)).toEqual(walked.map(() => 'pending'));
      expect(walked.map((e) => e.id)).toEqual(all.json.events.map((e: { id: string }) => e.id));
      expect(walked.slice(0, 2).map((e) => e.id)).toEqual([...pending].reverse());
    });

    it('records an attempt only while its claim still holds the event: a late outcome of a lapsed lease changes nothing', async () => {
      const s = setup();
      const order = await placeOrder(s);
      const { id } = await eventOf(s, order.id);
      const [first] = await s.events.claim(s.clock.now(), 15_000, 1, [id]);
      expect(first).toBeDefined();
      expect(await s.events.claim(s.clock.now(), 15_000, 1, [id])).toEqual([]);
      s.clock.advance(15_000);
      const [second] = await s.events.claim(s.clock.now(), 15_000, 1, [id]);
      expect(second).toBeDefined();
      if (first === undefined || second === undefined) return;
      await s.events.delivered(second, s.clock.now());
      await s.events.failed(first, 'late', s.clock.now() + 10_000, s.maxAttempts);
      expect(await eventOf(s, order.id)).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
    });

    it('delivers only the events it is handed (a queue message’s), leaving the other due ones pending', async () => {
      const s = setup();
      const [a, b] = [await placeOrder(s), await placeOrder(s)];
      const [first, second] = [await eventOf(s, a.id), await eventOf(s, b.id)];
      const before = s.receiver.received.length;
      const attempts = await dispatch(s, [first.id]);
      expect(attempts).toEqual([{ id: first.id, delivered: true }]);
      expect(s.receiver.received.slice(before).map((r) => r.headers['webhook-id'])).toEqual([first.id]);
      expect(await listed(s, first.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(await listed(s, second.id)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
      await dispatch(s, [second.id]);
      expect(await listed(s, second.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    it('names as due (the sweep’s ids) the pending events whose time has come and that no live claim holds', async () => {
      const s = setup();
      const [a, b] = [await placeOrder(s), await placeOrder(s)];
      const [first, second] = [(await eventOf(s, a.id)).id as string, (await eventOf(s, b.id)).id as string];
      const due = async () => {
        const ids = await s.events.dueIds(s.clock.now(), 1000);
        return [first, second].filter((id) => ids.includes(id));
      };
      expect(await due()).toEqual([first, second]);
      // The first claimed (a lease of 15 s), the second failed once (due again in 10 s): neither is due.
      const [claimed] = await s.events.claim(s.clock.now(), 15_000, 1, [first]);
      expect(claimed?.id).toBe(first);
      const [failing] = await s.events.claim(s.clock.now(), 15_000, 1, [second]);
      if (failing === undefined) throw new Error('the second event could not be claimed');
      await s.events.failed(failing, 'HTTP 500', s.clock.now() + 10_000, s.maxAttempts);
      expect(await listed(s, second)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500' });
      expect(await due()).toEqual([]);
      s.clock.advance(10_000);
      expect(await due()).toEqual([second]);
      s.clock.advance(5_000);
      expect(await due()).toEqual([first, second]);
      // Delivered, they are due no more.
      await dispatch(s, [first, second]);
      expect(await listed(s, first)).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(await listed(s, second)).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(await due()).toEqual([]);
    });

    it('never sends one attempt twice when two dispatchers race for the same events', async () => {
      const s = setup();
      const orders = [await placeOrder(s), await placeOrder(s), await placeOrder(s)];
      const ids = await Promise.all(orders.map(async (order) => (await eventOf(s, order.id)).id as string));
      const before = s.receiver.received.length;
      await Promise.all([dispatch(s), dispatch(s), dispatch(s)]);
      const sent = s.receiver.received.slice(before).map((r) => r.headers['webhook-id']);
      for (const id of ids) expect(sent.filter((x) => x === id)).toHaveLength(1);
    });
  });
}
