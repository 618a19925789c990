import { describe, expect, it } from 'vitest';
import { createCartClient } from '../../src/client.js';
import { documentedSend, expectExactPages } from './catalog.cases.js';
import type { Fetcher } from './client.js';
import { DAY_MS, HOUR_MS } from './clock.js';
import { walkPages } from './walk.js';

let serial = 0;
/** A code no other test uses: 3–32 of A-Z 0-9 _ -. */
export const freshCode = (name = 'CODE') =>
  `${name}_${Date.now().toString(36)}${(serial++).toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

type Line = {
  name?: string;
  unit_price: number;
  quantity?: number;
  metadata?: Record<string, string | number | boolean>;
};

/** Helpers over an app with PRICES=client and the admin token `token`. */
export function discountHelpers(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const putCode = (code: string, discount: object) => call('PUT', `/v1/admin/discounts/${code}`, discount, admin);
  const percent = async (bp: number, extra: object = {}) => {
    const code = freshCode('PCT');
    expect((await putCode(code, { kind: 'percentage', percent_off_bp: bp, ...extra })).status).toBe(201);
    return code;
  };
  const fixed = async (amountOff: Record<string, number>, extra: object = {}) => {
    const code = freshCode('FIX');
    expect((await putCode(code, { kind: 'fixed', amount_off: amountOff, ...extra })).status).toBe(201);
    return code;
  };
  const cartWith = async (lines: Line[], currency = 'USD') => {
    const made = await call('POST', '/v1/carts', {
      currency,
      items: lines.map((line, i) => ({ product_id: `sku-${i}`, name: line.name ?? `Line ${i}`, quantity: 1, ...line })),
    });
    expect(made.status).toBe(201);
    return made.json as { id: string; version: number; items: Array<{ id: number }> };
  };
  const attach = (cartId: string, code: string, headers: Record<string, string> = {}) =>
    call('POST', `/v1/carts/${cartId}/discount-codes`, { code }, headers);
  return { admin, call, putCode, percent, fixed, cartWith, attach };
}

/** Discount codes (API.md §7), on an app with PRICES=client, the admin token `token` and a clock the test moves. */
export function discountCases(
  fetcher: Fetcher,
  token: string,
  clock: { now: () => number; advance: (ms: number) => void },
) {
  const { admin, call, putCode, percent, fixed, cartWith, attach } = discountHelpers(fetcher, token);

  describe('admin discounts', () => {
    it('creates (201), replaces (200, version up, redemptions kept), reads, lists and deletes a discount', async () => {
      const code = freshCode('welcome');
      const created = await putCode(code.toLowerCase(), {
        kind: 'percentage',
        percent_off_bp: 1000,
        min_subtotal: { USD: 5000, EUR: 4500 },
        ends_at: '2027-01-01T00:00:00Z',
        max_redemptions: 100,
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.json).toMatchObject({
        code,
        kind: 'percentage',
        percent_off_bp: 1000,
        amount_off: null,
        min_subtotal: { EUR: 4500, USD: 5000 },
        starts_at: null,
        ends_at: '2027-01-01T00:00:00.000Z',
        max_redemptions: 100,
        redemptions: 0,
        active: true,
        version: 1,
      });
      const replaced = await putCode(code, { kind: 'fixed', amount_off: { USD: 500 }, active: false });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toMatchObject({ code, kind: 'fixed', amount_off: { USD: 500 }, percent_off_bp: null });
      expect(replaced.json).toMatchObject({ min_subtotal: null, ends_at: null, active: false, version: 2 });
      const read = await call('GET', `/v1/admin/discounts/${code.toLowerCase()}`, undefined, admin);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('"2"');
      expect(read.json).toEqual(replaced.json);
      const other = await percent(500);
      const [first, second] = [code, other].sort();
      const page = await call('GET', `/v1/admin/discounts?limit=1`, undefined, admin);
      expect(page.status).toBe(200);
      expect(page.json.discounts).toHaveLength(1);
      const codes: string[] = [];
      for (let cursor: string | null = null; ; ) {
        const next = await call(
          'GET',
          `/v1/admin/discounts?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          admin,
        );
        codes.push(...next.json.discounts.map((d: { code: string }) => d.code));
        cursor = next.json.next_cursor;
        if (cursor === null) break;
      }
      expect(codes).toEqual([...codes].sort());
      // A cursor of another listing (the catalog's) is none of this one's.
      const productCursor = btoa(JSON.stringify(['p', 'sku'])).replaceAll('=', '');
      for (const bad of ['bogus', productCursor]) {
        const refused = await call('GET', `/v1/admin/discounts?cursor=${bad}`, undefined, admin);
        expect(refused.status).toBe(422);
        expect(refused.json.errors).toEqual([{ path: 'cursor', message: 'Unknown cursor' }]);
      }
      expect(codes.indexOf(first as string)).toBeLessThan(codes.indexOf(second as string));
      expect((await call('DELETE', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(204);
      expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(404);
      expect((await call('DELETE', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(404);
    });

    it('refuses a malformed discount with 422 naming each bad field, and needs the admin token', async () => {
      const cases: Array<[string, object, string]> = [
        ['OK_CODE1', { kind: 'percentage' }, 'percent_off_bp'],
        ['OK_CODE2', { kind: 'percentage', percent_off_bp: 10_001 }, 'percent_off_bp'],
        ['OK_CODE3', { kind: 'fixed' }, 'amount_off'],
        ['OK_CODE4', { kind: 'fixed', amount_off: { USD: 100 }, percent_off_bp: 5 }, 'percent_off_bp'],
        ['OK_CODE5', { kind: 'fixed', amount_off: { XXX1: 100 } }, 'amount_off.XXX1'],
        [
          'OK_CODE6',
          { kind: 'percentage', percent_off_bp: 5, starts_at: '2027-01-02T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' },
          'ends_at',
        ],
        ['no', { kind: 'percentage', percent_off_bp: 5 }, 'code'],
        ['OK_CODE7', { code: 'OTHER', kind: 'percentage', percent_off_bp: 5 }, 'code'],
      ];
      for (const [code, body, path] of cases) {
        const reply = await putCode(code, body);
        expect(reply.status, JSON.stringify(body)).toBe(422);
        expect(reply.json.type).toBe('/problems/validation-failed');
        expect(reply.json.errors.map((e: { path: string }) => e.path)).toContain(path);
        expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(404);
      }
      expect((await call('PUT', '/v1/admin/discounts/NOTOKEN', { kind: 'percentage', percent_off_bp: 5 })).status).toBe(
        401,
      );
    });
    it('takes each bound at its limit and refuses it one past: percent_off_bp 1–10,000, amounts and max_redemptions from 1, codes of 3–32 characters, ends_at after starts_at', async () => {
      const start = clock.now() + HOUR_MS;
      const at = (ms: number) => new Date(ms).toISOString();
      const long = freshCode('LONG').padEnd(32, 'X');
      const refused: Array<[string, object, string]> = [
        [freshCode(), { kind: 'percentage', percent_off_bp: 0 }, 'percent_off_bp'],
        [freshCode(), { kind: 'percentage', percent_off_bp: 10_001 }, 'percent_off_bp'],
        [freshCode(), { kind: 'fixed', amount_off: { USD: 0 } }, 'amount_off.USD'],
        [freshCode(), { kind: 'percentage', percent_off_bp: 5, min_subtotal: { USD: 0 } }, 'min_subtotal.USD'],
        [freshCode(), { kind: 'percentage', percent_off_bp: 5, max_redemptions: 0 }, 'max_redemptions'],
        [freshCode(), { kind: 'percentage', percent_off_bp: 5, starts_at: at(start), ends_at: at(start) }, 'ends_at'],
        [`${long}Y`, { kind: 'percentage', percent_off_bp: 5 }, 'code'],
      ];
      for (const [code, body, path] of refused) {
        const reply = await putCode(code, body);
        expect(reply.status, JSON.stringify(body)).toBe(422);
        expect(reply.json.type).toBe('/problems/validation-failed');
        expect(reply.json.errors.map((e: { path: string }) => e.path)).toEqual([path]);
        expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(404);
      }
      const taken: Array<[string, object]> = [
        [freshCode(), { kind: 'percentage', percent_off_bp: 1 }],
        [freshCode(), { kind: 'fixed', amount_off: { USD: 1 }, min_subtotal: { USD: 1 }, max_redemptions: 1 }],
        [freshCode(), { kind: 'percentage', percent_off_bp: 5, starts_at: at(start), ends_at: at(start + 1) }],
        ['K3Y', { kind: 'percentage', percent_off_bp: 5 }],
        [long, { kind: 'percentage', percent_off_bp: 5 }],
      ];
      for (const [code, body] of taken) {
        const reply = await putCode(code, body);
        expect(reply.status, `${code} ${JSON.stringify(body)}`).toBe(201);
        expect(reply.json).toMatchObject({ code, ...body, ...('ends_at' in body ? { ends_at: at(start + 1) } : {}) });
      }
      // 10,000 basis points takes the whole subtotal, to the unit.
      const all = await percent(10_000);
      const cart = await cartWith([{ unit_price: 999 }, { unit_price: 1 }]);
      const free = await attach(cart.id, all);
      expect(free.json).toMatchObject({ discount_codes: [{ code: all, applicable: true, amount: 1000 }], total: 0 });
    });
    it('stores amount_off and min_subtotal by currency code in code order, whatever order they are sent in', async () => {
      const code = freshCode('SORTED');
      const created = await putCode(code, {
        kind: 'fixed',
        amount_off: { USD: 300, EUR: 250, GBP: 200 },
        min_subtotal: { USD: 3000, EUR: 2500, GBP: 2000 },
      });
      expect(created.status).toBe(201);
      expect(created.text).toContain('"amount_off":{"EUR":250,"GBP":200,"USD":300}');
      expect(created.text).toContain('"min_subtotal":{"EUR":2500,"GBP":2000,"USD":3000}');
      expect(Object.keys(created.json.amount_off)).toEqual(['EUR', 'GBP', 'USD']);
      const read = await call('GET', `/v1/admin/discounts/${code}`, undefined, admin);
      expect(read.text).toBe(created.text);
      // Each currency's amount and minimum is its own, in a cart of that currency.
      const pounds = await cartWith([{ unit_price: 2000 }], 'GBP');
      expect((await attach(pounds.id, code)).json).toMatchObject({
        discount_codes: [{ code, applicable: true, amount: 200 }],
        total: 1800,
      });
      const euros = await cartWith([{ unit_price: 2000 }], 'EUR');
      expect((await attach(euros.id, code)).json).toMatchObject({
        discount_codes: [{ code, applicable: false, reason: 'minimum', amount: 0 }],
        total: 2000,
      });
    });

    it('lists live discounts in code order, exactly `limit` a page, with next_cursor and Link on every page but the last', async () => {
      const listing = { path: '/v1/admin/discounts', field: 'discounts', key: 'code' };
      const limit = 4;
      const everyCode = async () =>
        (await walkPages<{ code: string }>(fetcher, `${listing.path}?limit=200`, 'discounts', admin)).map(
          (d) => d.code,
        );
      // A deleted code leaves a tombstone, which no page lists.
      const gone = await percent(100);
      expect((await call('DELETE', `/v1/admin/discounts/${gone}`, undefined, admin)).status).toBe(204);
      const before = await everyCode();
      expect(before).not.toContain(gone);
      // As many codes as make the listing a whole number of pages: the last page is full, and last.
      const added: string[] = [];
      for (let n = before.length; n % limit !== 0 || added.length === 0; n++) added.push(await percent(100));
      const whole = await everyCode();
      expect(whole).toEqual([...before, ...added].sort());
      expect(new Set(whole).size).toBe(whole.length);
      expect(whole.length % limit).toBe(0);
      await expectExactPages(fetcher, listing, limit, whole, admin);
      // One more: the last page holds just one code.
      const onePast = [...whole, await percent(100)].sort();
      expect(await everyCode()).toEqual(onePast);
      await expectExactPages(fetcher, listing, limit, onePast, admin);
    });
  });

  describe('codes on a cart', () => {
    it('attaches a code (case-insensitively, version + 1) and shows exact totals; twice changes nothing; removal restores', async () => {
      const code = await percent(1000);
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 2000 }, { unit_price: 3000 }]);
      const attached = await attach(cart.id, code.toLowerCase(), { 'if-match': '"1"' });
      expect(attached.status).toBe(200);
      expect(attached.headers.get('etag')).toBe('"2"');
      const [a, b, c] = cart.items.map((item) => item.id);
      expect(attached.json).toMatchObject({
        version: 2,
        subtotal: 6000,
        discount_codes: [{ code, applicable: true, amount: 600 }],
        discount_total: 600,
        total: 5400,
        items: [
          { id: a, discount_allocations: [{ code, amount: 100 }] },
          { id: b, discount_allocations: [{ code, amount: 200 }] },
          { id: c, discount_allocations: [{ code, amount: 300 }] },
        ],
      });
      expect(attached.json.discount_codes[0]).not.toHaveProperty('reason');
      const again = await attach(cart.id, code);
      expect(again.status).toBe(200);
      expect(again.json).toEqual(attached.json);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toEqual(attached.json);
      const removed = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code.toLowerCase()}`);
      expect(removed.status).toBe(200);
      expect(removed.json).toMatchObject({ version: 3, discount_codes: [], discount_total: 0, total: 6000 });
      expect(removed.json.items.map((i: { discount_allocations: unknown[] }) => i.discount_allocations)).toEqual([
        [],
        [],
        [],
      ]);
      const gone = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`);
      expect(gone.status).toBe(404);
      expect(gone.json.detail).toBe('The cart holds no such code.');
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.version).toBe(3);
    });

    it('refuses to remove a code the cart does not hold while it holds another: 404, the cart unchanged', async () => {
      const held = await percent(1000);
      const other = await percent(500);
      const cart = await cartWith([{ unit_price: 1000 }]);
      const attached = await attach(cart.id, held);
      expect(attached.status).toBe(200);
      for (const code of [other, 'NO_SUCH_CODE']) {
        const refused = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`);
        expect(refused.status, code).toBe(404);
        expect(refused.json).toMatchObject({ type: '/problems/not-found', detail: 'The cart holds no such code.' });
      }
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toEqual(attached.json);
      // A refused attach answers with the refusal, not the cart, and changes nothing either.
      const unknown = await attach(cart.id, 'NO_SUCH_CODE');
      expect(unknown.status).toBe(422);
      expect(unknown.json).toMatchObject({ type: '/problems/discount-invalid', reason: 'unknown' });
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toEqual(attached.json);
    });

    it('applies codes in attachment order, each to what the earlier left, split by largest remainder (worked example)', async () => {
      // Lines 1000, 2000, 3000. 10% off: floor(6000 × 0.1) = 600 → 100, 200, 300; left 900, 1800, 2700.
      // Then 5.00 off: 500 × 900/5400 = 83 r 1800, × 1800/5400 = 166 r 3600, × 2700/5400 = 250 r 0:
      // 499, one unit short, to the largest remainder (the second line) → 83, 167, 250.
      const ten = await percent(1000);
      const five = await fixed({ USD: 500 });
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 2000 }, { unit_price: 3000 }]);
      expect((await attach(cart.id, ten)).status).toBe(200);
      const both = await attach(cart.id, five);
      expect(both.json).toMatchObject({
        discount_codes: [
          { code: ten, applicable: true, amount: 600 },
          { code: five, applicable: true, amount: 500 },
        ],
        discount_total: 1100,
        total: 4900,
      });
      expect(both.json.items.map((i: { discount_allocations: unknown }) => i.discount_allocations)).toEqual([
        [
          { code: ten, amount: 100 },
          { code: five, amount: 83 },
        ],
        [
          { code: ten, amount: 200 },
          { code: five, amount: 167 },
        ],
        [
          { code: ten, amount: 300 },
          { code: five, amount: 250 },
        ],
      ]);
      // A 3-way tie: 200 over 100, 100, 100 is 66 r 200 each; the two units left go to the lower ids.
      const tie = await cartWith([{ unit_price: 100 }, { unit_price: 100 }, { unit_price: 100 }]);
      const two = await fixed({ USD: 200 });
      const tied = await attach(tie.id, two);
      expect(
        tied.json.items.map(
          (i: { discount_allocations: Array<{ amount: number }> }) => i.discount_allocations[0]?.amount,
        ),
      ).toEqual([67, 67, 66]);
      expect(tied.json).toMatchObject({ discount_total: 200, total: 100 });
      // A fixed amount over what is left takes what is left: no line below 0.
      const big = await fixed({ USD: 1_000_000 });
      const all = await attach(tie.id, big);
      expect(all.json).toMatchObject({ discount_total: 300, total: 0 });
      expect(all.json.discount_codes[1]).toEqual({ code: big, applicable: true, amount: 100 });
    });

    it('keeps the exact arithmetic in a JPY (0-decimal) and a KWD (3-decimal) cart', async () => {
      // ¥999 at 15%: floor(999 × 0.15) = 149 over one line.
      const jpy = await cartWith([{ unit_price: 999 }], 'JPY');
      const fifteen = await percent(1500);
      expect((await attach(jpy.id, fifteen)).json).toMatchObject({ discount_total: 149, total: 850 });
      // KWD 1.005 + 2.010 at 33.33%: floor(3015 × 0.3333) = 1004; 1004 × 1005/3015 = 334 r 2010,
      // 1004 × 2010/3015 = 669 r 1005: one short, to the first line → 335, 669.
      const kwd = await cartWith([{ unit_price: 1005 }, { unit_price: 2010 }], 'KWD');
      const third = await percent(3333);
      const reply = await attach(kwd.id, third);
      expect(reply.json).toMatchObject({ discount_total: 1004, total: 2011 });
      expect(
        reply.json.items.map(
          (i: { discount_allocations: Array<{ amount: number }> }) => i.discount_allocations[0]?.amount,
        ),
      ).toEqual([335, 669]);
      // A fixed code with no amount in the cart's currency is refused.
      const usdOnly = await fixed({ USD: 100 });
      const refused = await attach(kwd.id, usdOnly);
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({ type: '/problems/discount-invalid', reason: 'currency' });
    });

    it('refuses unknown, inactive, not-yet-started, ended, used-up and sixth codes with 422 discount-invalid and a reason', async () => {
      const cart = await cartWith([{ unit_price: 5000 }]);
      const now = clock.now();
      const inactive = await percent(100, { active: false });
      const later = await percent(100, { starts_at: new Date(now + HOUR_MS).toISOString() });
      const ended = await percent(100, { ends_at: new Date(now).toISOString() });
      const used = await percent(100, { max_redemptions: 1 });
      // Use the only redemption up on another cart.
      const spent = await cartWith([{ unit_price: 100 }]);
      expect((await attach(spent.id, used)).status).toBe(200);
      expect((await call('POST', `/v1/carts/${spent.id}/checkout`, {})).status).toBe(201);
      for (const [code, reason, detail] of [
        ['NO_SUCH_CODE', 'unknown', 'No such discount code.'],
        [inactive, 'inactive', 'The discount code is not active.'],
        [later, 'not-started', 'The discount code is not valid yet.'],
        [ended, 'ended', 'The discount code has ended.'],
        [used, 'exhausted', 'The discount code has been used up.'],
      ]) {
        const reply = await attach(cart.id, code as string);
        expect(reply.status, code).toBe(422);
        expect(reply.json).toMatchObject({ type: '/problems/discount-invalid', reason, detail });
        expect(reply.json.errors).toEqual([{ path: 'code', message: detail }]);
      }
      for (let i = 0; i < 5; i++) expect((await attach(cart.id, await percent(100))).status).toBe(200);
      const sixth = await attach(cart.id, await percent(100));
      expect(sixth.status).toBe(422);
      expect(sixth.json).toMatchObject({ reason: 'full', detail: 'A cart holds at most 5 discount codes.' });
      const read = await call('GET', `/v1/carts/${cart.id}`);
      expect(read.json.version).toBe(6);
      expect(read.json.discount_codes).toHaveLength(5);
      // 1% five times, each of what is left: 50, 49, 49, 48, 48.
      expect(read.json.discount_codes.map((c: { amount: number }) => c.amount)).toEqual([50, 49, 49, 48, 48]);
      expect(read.json.total).toBe(5000 - 244);
    });

    it('refuses a code one millisecond before its starts_at, and attaches, applies and redeems it at exactly starts_at', async () => {
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 3000 }]);
      const startsAt = clock.now() + 1;
      const code = await percent(1000, { starts_at: new Date(startsAt).toISOString() });
      const early = await attach(cart.id, code);
      expect(early.status).toBe(422);
      expect(early.json).toMatchObject({
        type: '/problems/discount-invalid',
        reason: 'not-started',
        detail: 'The discount code is not valid yet.',
        errors: [{ path: 'code', message: 'The discount code is not valid yet.' }],
      });
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({ version: 1, discount_codes: [] });
      clock.advance(1);
      expect(clock.now()).toBe(startsAt);
      const attached = await attach(cart.id, code);
      expect(attached.status).toBe(200);
      expect(attached.headers.get('etag')).toBe('"2"');
      expect(attached.json).toMatchObject({
        version: 2,
        discount_codes: [{ code, applicable: true, amount: 400 }],
        discount_total: 400,
        total: 3600,
      });
      expect(attached.json.items.map((i: { discount_allocations: unknown }) => i.discount_allocations)).toEqual([
        [{ code, amount: 100 }],
        [{ code, amount: 300 }],
      ]);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toEqual(attached.json);
      // Checked out in that same millisecond, the order carries and redeems it.
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ discounts: [{ code, amount: 400 }], discount_total: 400, total: 3600 });
      expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions).toBe(1);
    });

    it('shows an attached code whose starts_at moved to just after now as not-started, and applies it from exactly then', async () => {
      const cart = await cartWith([{ unit_price: 2000 }]);
      const code = await percent(500);
      expect((await attach(cart.id, code)).json.discount_total).toBe(100);
      const startsAt = clock.now() + 1;
      expect(
        (await putCode(code, { kind: 'percentage', percent_off_bp: 500, starts_at: new Date(startsAt).toISOString() }))
          .status,
      ).toBe(200);
      const before = await call('GET', `/v1/carts/${cart.id}`);
      expect(before.json).toMatchObject({
        version: 2,
        discount_codes: [{ code, applicable: false, reason: 'not-started', amount: 0 }],
        discount_total: 0,
        total: 2000,
      });
      expect(before.json.items[0].discount_allocations).toEqual([]);
      // A cart holding codes is never answered 304, even for If-None-Match: *.
      const conditional = await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '*' });
      expect(conditional.status).toBe(200);
      expect(conditional.json).toEqual(before.json);
      clock.advance(1);
      const from = await call('GET', `/v1/carts/${cart.id}`);
      expect(from.json).toMatchObject({
        version: 2,
        discount_codes: [{ code, applicable: true, amount: 100 }],
        discount_total: 100,
        total: 1900,
      });
      expect(from.json.items[0].discount_allocations).toEqual([{ code, amount: 100 }]);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ discounts: [{ code, amount: 100 }], total: 1900 });
    });

    it('applies a code over the one millisecond of a window [starts_at, ends_at), and not after it', async () => {
      const startsAt = clock.now() + 1;
      const code = await fixed(
        { USD: 250 },
        { starts_at: new Date(startsAt).toISOString(), ends_at: new Date(startsAt + 1).toISOString() },
      );
      const cart = await cartWith([{ unit_price: 1000 }]);
      expect((await attach(cart.id, code)).json.reason).toBe('not-started');
      clock.advance(1);
      const open = await attach(cart.id, code);
      expect(open.status).toBe(200);
      expect(open.json).toMatchObject({ discount_codes: [{ code, applicable: true, amount: 250 }], total: 750 });
      clock.advance(1);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({
        discount_codes: [{ code, applicable: false, reason: 'ended', amount: 0 }],
        total: 1000,
      });
      const other = await cartWith([{ unit_price: 1000 }]);
      expect((await attach(other.id, code)).json.reason).toBe('ended');
    });

    it('renews the cart’s expiry when a code is attached and when it is removed, as every change does', async () => {
      const cart = await cartWith([{ unit_price: 1000 }]);
      const code = await percent(1000);
      const madeAt = clock.now();
      const made = await call('GET', `/v1/carts/${cart.id}`);
      expect(Date.parse(made.json.expires_at)).toBe(madeAt + 30 * DAY_MS);
      clock.advance(20 * DAY_MS);
      const attachedAt = clock.now();
      const attached = await attach(cart.id, code);
      expect(attached.status).toBe(200);
      expect(attached.json).toMatchObject({ version: 2, discount_total: 100 });
      expect(Date.parse(attached.json.expires_at)).toBe(attachedAt + 30 * DAY_MS);
      expect(Date.parse(attached.json.updated_at)).toBe(attachedAt);
      // Past the expiry it was created with, the cart is still there: the attach moved it.
      clock.advance(20 * DAY_MS);
      const kept = await call('GET', `/v1/carts/${cart.id}`);
      expect(kept.status).toBe(200);
      expect(kept.json.expires_at).toBe(attached.json.expires_at);
      // Attaching it again changes nothing, its expiry included; a refused attach neither.
      const again = await attach(cart.id, code);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ version: 2, expires_at: attached.json.expires_at });
      expect((await attach(cart.id, 'NO_SUCH_CODE')).status).toBe(422);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.expires_at).toBe(attached.json.expires_at);
      const removedAt = clock.now();
      const removed = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`);
      expect(removed.status).toBe(200);
      expect(removed.json).toMatchObject({ version: 3, discount_codes: [], total: 1000 });
      expect(Date.parse(removed.json.expires_at)).toBe(removedAt + 30 * DAY_MS);
      expect(Date.parse(removed.json.updated_at)).toBe(removedAt);
      // Past the expiry the attach gave it, the cart is still there: the removal moved it.
      clock.advance(20 * DAY_MS);
      const still = await call('GET', `/v1/carts/${cart.id}`);
      expect(still.status).toBe(200);
      expect(still.json).toEqual(removed.json);
    });

    it('honours If-Match, a closed cart and an unknown cart like every other change', async () => {
      const code = await percent(100);
      const cart = await cartWith([{ unit_price: 100 }]);
      const stale = await attach(cart.id, code, { 'if-match': '"7"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"1"');
      expect((await attach('crt_AAAAAAAAAAAAAAAAAAAAAA', code)).status).toBe(404);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      const closed = await attach(cart.id, code);
      expect(closed.status).toBe(409);
      expect(closed.json).toMatchObject({ type: '/problems/cart-closed', order_id: placed.json.id });
      const removal = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`);
      expect(removal.status).toBe(409);
    });

    it('honours If-Match on the removal of a code: a stale ETag is 412 with the current one and keeps the code', async () => {
      const code = await percent(1000);
      const cart = await cartWith([{ unit_price: 1000 }]);
      expect((await attach(cart.id, code, { 'if-match': '"1"' })).headers.get('etag')).toBe('"2"');
      const stale = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`, undefined, {
        'if-match': '"1"',
      });
      expect(stale.status).toBe(412);
      expect(stale.json.type).toBe('/problems/precondition-failed');
      expect(stale.headers.get('etag')).toBe('"2"');
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({
        version: 2,
        discount_codes: [{ code, applicable: true, amount: 100 }],
      });
      const current = await call('DELETE', `/v1/carts/${cart.id}/discount-codes/${code}`, undefined, {
        'if-match': '"2"',
      });
      expect(current.status).toBe(200);
      expect(current.headers.get('etag')).toBe('"3"');
      expect(current.json).toMatchObject({ version: 3, discount_codes: [], total: 1000 });
      // A removal of a cart that is not there is 404 whatever the code.
      const unknown = await call('DELETE', `/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/discount-codes/${code}`);
      expect(unknown.status).toBe(404);
      expect(unknown.json.type).toBe('/problems/not-found');
    });

    it('shows a code that stops applying as applicable: false with a reason and amount 0, and applies it again when it can', async () => {
      const start = clock.now();
      const code = await percent(1000, {
        min_subtotal: { USD: 5000 },
        ends_at: new Date(start + 2 * HOUR_MS).toISOString(),
      });
      const cart = await cartWith([{ unit_price: 4000 }]);
      const under = await attach(cart.id, code);
      expect(under.status).toBe(200);
      expect(under.json).toMatchObject({
        discount_codes: [{ code, applicable: false, reason: 'minimum', amount: 0 }],
        discount_total: 0,
        total: 4000,
      });
      expect(under.json.items[0].discount_allocations).toEqual([]);
      const added = await call('POST', `/v1/carts/${cart.id}/items`, {
        product_id: 'sku-x',
        name: 'X',
        unit_price: 1000,
        quantity: 1,
      });
      expect(added.json).toMatchObject({ discount_codes: [{ code, applicable: true, amount: 500 }], total: 4500 });
      // Deactivated, then on again, then past its end (the clock moves; nothing sleeps).
      await putCode(code, {
        kind: 'percentage',
        percent_off_bp: 1000,
        min_subtotal: { USD: 5000 },
        ends_at: new Date(start + 2 * HOUR_MS).toISOString(),
        active: false,
      });
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.discount_codes).toEqual([
        { code, applicable: false, reason: 'inactive', amount: 0 },
      ]);
      await putCode(code, {
        kind: 'percentage',
        percent_off_bp: 1000,
        min_subtotal: { USD: 5000 },
        ends_at: new Date(start + 2 * HOUR_MS).toISOString(),
      });
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.discount_total).toBe(500);
      clock.advance(2 * HOUR_MS);
      // The version is the same, but the discounts are not: a conditional read is not 304.
      const version = (await call('GET', `/v1/carts/${cart.id}`)).json.version;
      const conditional = await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': `"${version}"` });
      expect(conditional.status).toBe(200);
      expect(conditional.json.discount_codes[0].reason).toBe('ended');
      const after = await call('GET', `/v1/carts/${cart.id}`);
      expect(after.json).toMatchObject({
        discount_codes: [{ code, applicable: false, reason: 'ended', amount: 0 }],
        total: 5000,
      });
      // The checkout leaves the code out of the order, and does not count it.
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ discounts: [], discount_total: 0, total: 5000 });
      expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions).toBe(0);
    });

    it('shows a deleted discount as unknown on the carts that hold it', async () => {
      const code = await fixed({ USD: 100 });
      const cart = await cartWith([{ unit_price: 1000 }]);
      expect((await attach(cart.id, code)).json.total).toBe(900);
      expect((await call('DELETE', `/v1/admin/discounts/${code}`, undefined, admin)).status).toBe(204);
      const read = await call('GET', `/v1/carts/${cart.id}`);
      expect(read.json).toMatchObject({
        discount_codes: [{ code, applicable: false, reason: 'unknown', amount: 0 }],
        total: 1000,
      });
    });
  });

  describe('discount edge cases', () => {
    it('treats a minimum with no amount in the cart’s currency as not priced there (reason currency)', async () => {
      const eurOnly = await percent(5000, { min_subtotal: { EUR: 100_000 } });
      const usd = await cartWith([{ unit_price: 100 }]);
      const refused = await attach(usd.id, eurOnly);
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({ type: '/problems/discount-invalid', reason: 'currency' });
      // Attached while it had a USD minimum, then the USD minimum is gone: it stops applying.
      const both = await percent(5000, { min_subtotal: { USD: 50 } });
      expect((await attach(usd.id, both)).json.discount_total).toBe(50);
      await putCode(both, { kind: 'percentage', percent_off_bp: 5000, min_subtotal: { EUR: 50 } });
      expect((await call('GET', `/v1/carts/${usd.id}`)).json).toMatchObject({
        discount_codes: [{ code: both, applicable: false, reason: 'currency', amount: 0 }],
        total: 100,
      });
    });

    it('takes codes in ASCII only: no case mapping turns other letters into a code', async () => {
      const created = await putCode('%C3%9Fxy', { kind: 'percentage', percent_off_bp: 5 });
      expect(created.status).toBe(422);
      expect(created.json.errors).toEqual([{ path: 'code', message: '3 to 32 characters of A-Z a-z 0-9 _ -' }]);
      expect((await call('GET', '/v1/admin/discounts/SSXY', undefined, admin)).status).toBe(404);
      const ffi = freshCode('FFI');
      await putCode(ffi, { kind: 'percentage', percent_off_bp: 5 });
      const cart = await cartWith([{ unit_price: 100 }]);
      const ligature = await attach(cart.id, ffi.replace('FFI', '\ufb03'));
      expect(ligature.status).toBe(422);
      expect(ligature.json.reason).toBe('unknown');
    });

    it('keeps a deleted code’s redemptions when it is created again', async () => {
      const once = await percent(1000, { max_redemptions: 1 });
      const first = await cartWith([{ unit_price: 1000 }]);
      const second = await cartWith([{ unit_price: 1000 }]);
      await attach(first.id, once);
      await attach(second.id, once);
      expect((await call('POST', `/v1/carts/${first.id}/checkout`, {})).status).toBe(201);
      expect((await call('DELETE', `/v1/admin/discounts/${once}`, undefined, admin)).status).toBe(204);
      expect((await call('GET', `/v1/admin/discounts/${once}`, undefined, admin)).status).toBe(404);
      const again = await putCode(once, { kind: 'percentage', percent_off_bp: 1000, max_redemptions: 1 });
      expect(again.status).toBe(201);
      expect(again.json).toMatchObject({ redemptions: 1, version: 3 });
      expect((await call('POST', `/v1/carts/${second.id}/checkout`, {})).status).toBe(409);
    });

    it('lets a used-up code that would not apply anyway stay out of the way of the checkout', async () => {
      const big = await percent(1000, { min_subtotal: { USD: 10_000 }, max_redemptions: 1 });
      const rich = await cartWith([{ unit_price: 10_000 }]);
      const poor = await cartWith([{ unit_price: 100 }]);
      await attach(rich.id, big);
      await attach(poor.id, big);
      expect((await call('POST', `/v1/carts/${rich.id}/checkout`, {})).status).toBe(201);
      const placed = await call('POST', `/v1/carts/${poor.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ discounts: [], total: 100 });
    });

    it('shows a checked-out cart with the discounts of its order, not worked out again', async () => {
      const last = await percent(1000, { max_redemptions: 1 });
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 500 }]);
      await attach(cart.id, last);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      const read = await call('GET', `/v1/carts/${cart.id}`);
      expect(read.json).toMatchObject({
        status: 'checked_out',
        discount_codes: [{ code: last, applicable: true, amount: 150 }],
        discount_total: 150,
        total: 1350,
      });
      expect(read.json.items.map((i: { discount_allocations: unknown }) => i.discount_allocations)).toEqual([
        [{ code: last, amount: 100 }],
        [{ code: last, amount: 50 }],
      ]);
    });
  });

  describe('checkout with codes', () => {
    it('places the order with its discounts, redeems each applied code once, and order.placed carries them', async () => {
      const ten = await percent(1000, { max_redemptions: 5 });
      const five = await fixed({ USD: 500 });
      const cart = await cartWith([{ unit_price: 1000 }, { unit_price: 2000 }, { unit_price: 3000 }]);
      await attach(cart.id, ten);
      await attach(cart.id, five);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"3"' });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        subtotal: 6000,
        discounts: [
          { code: ten, amount: 600 },
          { code: five, amount: 500 },
        ],
        discount_total: 1100,
        total: 4900,
      });
      // Money is written as integers, never as 1100.0.
      expect(placed.text).toContain('"discount_total":1100,');
      expect(placed.text).toContain('"total":4900,');
      expect(placed.json.items.map((i: { discount_allocations: unknown }) => i.discount_allocations)).toEqual([
        [
          { code: ten, amount: 100 },
          { code: five, amount: 83 },
        ],
        [
          { code: ten, amount: 200 },
          { code: five, amount: 167 },
        ],
        [
          { code: ten, amount: 300 },
          { code: five, amount: 250 },
        ],
      ]);
      expect((await call('GET', `/v1/orders/${placed.json.id}`)).json).toEqual(placed.json);
      expect((await call('GET', `/v1/admin/discounts/${ten}`, undefined, admin)).json.redemptions).toBe(1);
      expect((await call('GET', `/v1/admin/discounts/${five}`, undefined, admin)).json.redemptions).toBe(1);
      const events = await call('GET', '/v1/admin/events?limit=200', undefined, admin);
      const event = events.json.events.find((e: { data: { id: string } }) => e.data.id === placed.json.id);
      expect(event.data).toEqual(placed.json);
    });

    it('refuses the checkout of a cart whose code was used up since it was attached: 409 discount-unavailable, nothing changed', async () => {
      const once = await percent(1000, { max_redemptions: 1 });
      const first = await cartWith([{ unit_price: 1000 }]);
      const second = await cartWith([{ unit_price: 1000 }]);
      await attach(first.id, once);
      await attach(second.id, once);
      expect((await call('POST', `/v1/carts/${first.id}/checkout`, {})).status).toBe(201);
      const view = await call('GET', `/v1/carts/${second.id}`);
      expect(view.json).toMatchObject({
        discount_codes: [{ code: once, applicable: false, reason: 'exhausted', amount: 0 }],
      });
      const refused = await call('POST', `/v1/carts/${second.id}/checkout`, {});
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/discount-unavailable',
        detail: 'A discount code on the cart has been used up; nothing changed. Remove the code and check out again.',
      });
      expect((await call('GET', `/v1/carts/${second.id}`)).json).toEqual(view.json);
      expect((await call('GET', `/v1/admin/discounts/${once}`, undefined, admin)).json.redemptions).toBe(1);
      expect((await call('DELETE', `/v1/carts/${second.id}/discount-codes/${once}`)).status).toBe(200);
      const placed = await call('POST', `/v1/carts/${second.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ discounts: [], total: 1000 });
    });

    it('is a typed call of the client: attach, read the totals, remove', async () => {
      const code = await percent(2500);
      const cart = await cartWith([{ unit_price: 1000, quantity: 3 }]);
      const api = createCartClient('http://edgecart.test', {
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          return fetcher(`${url.pathname}${url.search}`, init);
        },
      });
      const attached = await api.v1.carts[':cartId']['discount-codes'].$post({
        param: { cartId: cart.id },
        header: {},
        json: { code },
      });
      expect(attached.status).toBe(200);
      if (attached.status !== 200) return;
      const body = await attached.json();
      expect([body.subtotal, body.discount_total, body.total]).toEqual([3000, 750, 2250]);
      expect(body.discount_codes[0]?.applicable).toBe(true);
      expect(body.items[0]?.discount_allocations).toEqual([{ code, amount: 750 }]);
      const removed = await api.v1.carts[':cartId']['discount-codes'][':code'].$delete({
        param: { cartId: cart.id, code },
        header: {},
      });
      expect(removed.status).toBe(200);
      if (removed.status === 200) expect((await removed.json()).total).toBe(3000);
    });

    it('places exactly ten orders with a code limited to ten when fifty carts holding it check out at once', async () => {
      await redemptionRace(fetcher, token);
    });
  });
}

/**
 * Twenty rounds of two carts holding a fresh code limited to one redemption,
 * both checked out at once: where requests are served one at a time per
 * process (two processes on one file), only a pair can meet at a code's last
 * redemption, so every round is such a meeting. Each round places exactly
 * one order and counts exactly one redemption; the other cart is refused
 * with discount-unavailable and stays open.
 */
export async function lastRedemptionRaces(fetcher: Fetcher, token: string, rounds = 20) {
  const { call, percent, cartWith, attach, admin } = discountHelpers(fetcher, token);
  const pairs = [];
  for (let round = 0; round < rounds; round++) {
    const code = await percent(1000, { max_redemptions: 1 });
    const pair = [await cartWith([{ unit_price: 1000 }]), await cartWith([{ unit_price: 2000 }])];
    for (const cart of pair) expect((await attach(cart.id, code)).status).toBe(200);
    pairs.push({ code, pair });
  }
  for (const { code, pair } of pairs) {
    const replies = await Promise.all(pair.map((cart) => call('POST', `/v1/carts/${cart.id}/checkout`, {})));
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
    const refusedAt = replies.findIndex((reply) => reply.status === 409);
    expect(replies[refusedAt]?.json.type).toBe('/problems/discount-unavailable');
    expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions).toBe(1);
    expect((await call('GET', `/v1/carts/${pair[refusedAt]?.id}`)).json).toMatchObject({
      status: 'open',
      order_id: null,
    });
  }
}

/**
 * Fifty carts sharing a code with `max_redemptions: 10` check out at once:
 * exactly ten orders carry it, forty answers are 409 discount-unavailable, and
 * the code counts ten redemptions.
 */
export async function redemptionRace(fetcher: Fetcher, token: string) {
  const { call, percent, cartWith, attach, admin } = discountHelpers(fetcher, token);
  const code = await percent(2000, { max_redemptions: 10 });
  const carts = [];
  for (let i = 0; i < 50; i++) {
    const cart = await cartWith([{ unit_price: 1000 + i }]);
    expect((await attach(cart.id, code)).status).toBe(200);
    carts.push(cart);
  }
  const replies = await Promise.all(carts.map((cart) => call('POST', `/v1/carts/${cart.id}/checkout`, {})));
  const placed = replies.filter((reply) => reply.status === 201);
  expect(placed).toHaveLength(10);
  // 20% of 1000 + i, floored.
  for (const reply of placed)
    expect(reply.json.discounts).toEqual([{ code, amount: Math.floor(reply.json.subtotal / 5) }]);
  const refused = replies.filter((reply) => reply.status === 409);
  expect(refused).toHaveLength(40);
  for (const reply of refused) expect(reply.json.type).toBe('/problems/discount-unavailable');
  // The final counts the race exists for, read back from the store: ten redemptions, ten orders of these
  // carts (none written for a refused checkout), and every refused cart still open, with no order.
  expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions).toBe(10);
  const ours = new Set(carts.map((cart) => cart.id));
  const orders = (
    await walkPages<{ cart_id: string; discounts: unknown }>(fetcher, '/v1/admin/orders?limit=200', 'orders', admin)
  ).filter((order) => ours.has(order.cart_id));
  expect(orders).toHaveLength(10);
  for (const order of orders) expect(order.discounts).toEqual([{ code, amount: expect.any(Number) }]);
  const placedCarts = new Set(placed.map((reply) => reply.json.cart_id));
  for (const cart of carts.filter((c) => !placedCarts.has(c.id))) {
    expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({ status: 'open', order_id: null });
  }
}
