import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

/** The admin listing; `fetcher` reaches an app whose ADMIN_TOKEN is `token`. */
export function adminCases(fetcher: Fetcher, token: string, stillClock: Fetcher) {
  const auth = { authorization: `Bearer ${token}` };
  const callOn = async (
    on: Fetcher,
    method: string,
    path: string,
    headers: Record<string, string> = auth,
    body?: unknown,
  ) => {
    const reply = await send(on, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const call = (method: string, path: string, headers: Record<string, string> = auth, body?: unknown) =>
    callOn(fetcher, method, path, headers, body);
  const newCart = async (on = fetcher) =>
    (
      await send(on, 'POST', '/v1/carts', {
        items: [{ product_id: 'p', name: 'P', unit_price: 250, quantity: 2 }],
      })
    ).json;

  /** Every cart id the listing gives, page by page with `limit`, creating a cart after the first page. */
  async function walk(limit: number, afterFirstPage?: () => Promise<unknown>, on = fetcher) {
    const seen: Array<Record<string, unknown> & { id: string }> = [];
    let path: string | undefined = `/v1/admin/carts?limit=${limit}`;
    for (let page = 0; path !== undefined && page < 1000; page++) {
      const reply = await callOn(on, 'GET', path);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.carts);
      const link = reply.headers.get('link');
      if (reply.json.next_cursor === null) {
        expect(link).toBeNull();
        path = undefined;
      } else {
        expect(link).toMatch(/^<\/v1\/admin\/carts\?[^>]+>; rel="next"$/);
        path = /^<([^>]+)>/.exec(link ?? '')?.[1];
      }
      if (page === 0) await afterFirstPage?.();
    }
    return seen;
  }

  describe('admin listing', () => {
    it('answers 401 without a token and 403 with a wrong one', async () => {
      const none = await call('GET', '/v1/admin/carts', {});
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = await call('GET', '/v1/admin/carts', { authorization: `Bearer ${token}-wrong` });
      expect(wrong.status).toBe(403);
      expect(wrong.text).not.toContain(token);
      expect((await call('GET', '/v1/admin/carts', { authorization: token })).status).toBe(401);
    });

    it('lists carts with their totals', async () => {
      const cart = await newCart();
      const listed = (await walk(200)).find((summary) => summary.id === cart.id);
      expect(listed).toMatchObject({ currency: 'USD', version: 1, line_count: 1, item_count: 2, subtotal: 500 });
      expect(listed).toMatchObject({ created_at: cart.created_at, expires_at: cart.expires_at });
    });

    it('lists the default cart as never expiring', async () => {
      const listed = (await walk(200)).find((summary) => summary.id === 'default');
      expect(listed).toMatchObject({ id: 'default', expires_at: null });
    });

    it('ends on a page that holds exactly the last carts, with no next cursor', async () => {
      await newCart();
      const all = await walk(200);
      expect(all.length).toBeLessThanOrEqual(200);
      const exact = await call('GET', `/v1/admin/carts?limit=${all.length}`);
      expect(exact.json.carts).toHaveLength(all.length);
      expect([exact.json.next_cursor, exact.headers.get('link')]).toEqual([null, null]);
      const short = await call('GET', `/v1/admin/carts?limit=${all.length - 1}`);
      expect(short.json.carts).toHaveLength(all.length - 1);
      expect(short.json.next_cursor).toEqual(expect.any(String));
    });

    it('pages through every cart exactly once, in creation order, while carts are created', async () => {
      const mine = [];
      for (let i = 0; i < 5; i++) mine.push((await newCart()).id);
      let late = '';
      const seen = (
        await walk(2, async () => {
          late = (await newCart()).id;
        })
      ).map((summary) => summary.id);
      expect(new Set(seen).size).toBe(seen.length);
      const order = mine.map((id) => seen.indexOf(id));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(seen.indexOf(late)).toBeGreaterThan(order.at(-1) ?? -1);
    });

    it('lists carts created in the same millisecond in the order they were created, and misses none created meanwhile', async () => {
      // stillClock's time never moves: every cart there has the same created_at.
      const mine = [];
      for (let i = 0; i < 6; i++) mine.push((await newCart(stillClock)).id);
      const late: string[] = [];
      const seen = (
        await walk(
          2,
          async () => {
            for (let i = 0; i < 3; i++) late.push((await newCart(stillClock)).id);
          },
          stillClock,
        )
      ).map((summary) => summary.id);
      const ours = [...mine, ...late];
      expect(seen.filter((id) => ours.includes(id))).toEqual(ours);
    });

    // A cursor is [created_at, rowid]: an id in place of the rowid (the old form), a fraction or a third entry is none.
    const cursors = ['[1,"crt_x"]', '[1.5,2]', '[1,2.5]', '[1,2,3]', '[1]', '{"0":1,"1":2}'].map(
      (value) => `cursor=${btoa(value).replaceAll('=', '')}`,
    );
    it.each(['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor', ...cursors])(
      'refuses %s with 422',
      async (query) => {
        const reply = await call('GET', `/v1/admin/carts?${query}`);
        expect(reply.status).toBe(422);
        expect(reply.json.type).toBe('/problems/validation-failed');
      },
    );

    it('guards the default cart on /v1 like the classic surface', async () => {
      expect((await call('GET', '/v1/carts/default', {})).status).toBe(401);
      expect((await call('GET', '/v1/carts/default', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(
        403,
      );
      expect((await call('GET', '/v1/carts/default')).status).toBe(200);
    });
  });
}

/** Admin routes stay closed while ADMIN_TOKEN is not set. */
export function adminDisabledCases(fetcher: Fetcher) {
  it('answers admin routes with 403 while ADMIN_TOKEN is unset', async () => {
    const reply = await send(fetcher, 'GET', '/v1/admin/carts', undefined, {
      authorization: 'Bearer anything-at-all-1234',
    });
    expect(reply.status).toBe(403);
    expect(reply.json.detail).toMatch(/ADMIN_TOKEN/);
  });
}
