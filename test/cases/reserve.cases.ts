import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { documentedSend, freshSku } from './catalog.cases.js';
import type { Fetcher } from './client.js';

/*
 * Reservations (README, Stock, `INVENTORY=reserve`) and the cart's stock
 * warnings (`track` and `reserve`), on apps over one database that share a
 * clock the test moves: `reserve` (INVENTORY=reserve, RESERVATION_MINUTES
 * 15), `track` (INVENTORY=track) and `none` (INVENTORY unset), each with
 * PRICES=client and the admin token `token`.
 */

export interface ReserveApps {
  reserve: Fetcher;
  track: Fetcher;
  none: Fetcher;
}

const MINUTE_MS = 60_000;

/** A customer key the `reserve` app trusts (AUTH_PUBLIC_KEY): its PEM, and tokens it signs for a subject. */
export async function customerKey() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    pem: await exportSPKI(publicKey),
    token: (sub: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('1 hour')
        .sign(privateKey),
  };
}

export function reserveCases(
  apps: ReserveApps,
  token: string,
  clock: { advance: (ms: number) => void },
  customer: (sub: string) => Promise<string>,
) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (fetcher: Fetcher, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const stockOf = async (sku: string) => {
    const { json } = await call(apps.reserve, 'GET', `/v1/admin/inventory/${sku}`, undefined, admin);
    return { on_hand: json.on_hand, reserved: json.reserved, available: json.available };
  };
  const tracked = async (onHand: number) => {
    const sku = freshSku('held');
    expect((await call(apps.reserve, 'PUT', `/v1/admin/inventory/${sku}`, { on_hand: onHand }, admin)).status).toBe(
      201,
    );
    return sku;
  };
  const line = (sku: string, quantity: number, tag?: string) => ({
    product_id: sku,
    name: sku,
    unit_price: 500,
    quantity,
    metadata: tag === undefined ? {} : { tag },
  });
  const emptyCart = async (fetcher: Fetcher = apps.reserve) => {
    const made = await call(fetcher, 'POST', '/v1/carts', { currency: 'EUR' });
    expect(made.status).toBe(201);
    return made.json.id as string;
  };
  const add = (cartId: string, sku: string, quantity: number, fetcher: Fetcher = apps.reserve, tag?: string) =>
    call(fetcher, 'POST', `/v1/carts/${cartId}/items`, line(sku, quantity, tag));
  const read = async (cartId: string, fetcher: Fetcher = apps.reserve) =>
    (await call(fetcher, 'GET', `/v1/carts/${cartId}`)).json;
  const checkout = (cartId: string, fetcher: Fetcher = apps.reserve) =>
    call(fetcher, 'POST', `/v1/carts/${cartId}/checkout`, {});

  describe('INVENTORY=reserve: adds reserve what they take', () => {
    it('reserves an add in its own step, and refuses one past what other carts leave with 409 insufficient-stock, nothing changed', async () => {
      const mug = await tracked(3);
      const a = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 2, available: 1 });
      const b = await emptyCart();
      const before = await read(b);
      const refused = await add(b, mug, 2);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ type: '/problems/insufficient-stock', available: 1 });
      expect(refused.json.detail).toBe(
        'Not enough of the product is available: this cart may hold 1 of it (it holds 0). Nothing changed.',
      );
      expect(await read(b)).toEqual(before);
      // Exactly what is left fits; then nothing does.
      expect((await add(b, mug, 1)).status).toBe(201);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 3, available: 0 });
      const c = await emptyCart();
      expect((await add(c, mug, 1)).json).toMatchObject({ type: '/problems/insufficient-stock', available: 0 });
      // An untracked product is never refused.
      expect((await add(c, freshSku('loose'), 500)).status).toBe(201);
    });

    it('counts the cart’s units of a product across its lines, its own reservation included', async () => {
      const mug = await tracked(5);
      const a = await emptyCart();
      expect((await add(a, mug, 2, apps.reserve, 'blue')).status).toBe(201);
      expect((await add(a, mug, 2, apps.reserve, 'red')).status).toBe(201);
      const refused = await add(a, mug, 2, apps.reserve, 'green');
      expect(refused.json).toMatchObject({ type: '/problems/insufficient-stock', available: 5 });
      expect(refused.json.detail).toContain('this cart may hold 5 of it (it holds 4)');
      // Merging into a line it holds counts the same way.
      expect((await add(a, mug, 1, apps.reserve, 'blue')).status).toBe(200);
      expect((await add(a, mug, 1, apps.reserve, 'blue')).status).toBe(409);
    });

    it('reserves a quantity raised, refuses one raised past what is left, and lets one lowered give units back', async () => {
      const mug = await tracked(4);
      const a = await emptyCart();
      const lineId = (await add(a, mug, 1)).json.items[0].id as number;
      const other = await emptyCart();
      expect((await add(other, mug, 1)).status).toBe(201);
      const patch = (quantity: number) => call(apps.reserve, 'PATCH', `/v1/carts/${a}/items/${lineId}`, { quantity });
      expect((await patch(3)).status).toBe(200);
      expect(await stockOf(mug)).toEqual({ on_hand: 4, reserved: 4, available: 0 });
      const refused = await patch(4);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ type: '/problems/insufficient-stock', available: 3 });
      expect((await read(a)).items[0].quantity).toBe(3);
      expect((await patch(2)).status).toBe(200);
      expect(await stockOf(mug)).toEqual({ on_hand: 4, reserved: 3, available: 1 });
      // A change that sets no quantity is never judged by the stock, even with none left.
      expect((await call(apps.reserve, 'PUT', `/v1/admin/inventory/${mug}`, { on_hand: 0 }, admin)).status).toBe(200);
      const renamed = await call(apps.reserve, 'PATCH', `/v1/carts/${a}/items/${lineId}`, { metadata: { gift: true } });
      expect(renamed.status).toBe(200);
      expect((await patch(1)).status).toBe(200);
    });

    it('releases units on removal, on emptying the cart and on deleting it', async () => {
      const mug = await tracked(6);
      const a = await emptyCart();
      const b = await emptyCart();
      const c = await emptyCart();
      const first = (await add(a, mug, 2)).json.items[0].id as number;
      expect((await add(b, mug, 2)).status).toBe(201);
      expect((await add(c, mug, 2)).status).toBe(201);
      expect((await stockOf(mug)).reserved).toBe(6);
      expect((await call(apps.reserve, 'DELETE', `/v1/carts/${a}/items/${first}`)).status).toBe(200);
      expect((await stockOf(mug)).reserved).toBe(4);
      expect((await call(apps.reserve, 'DELETE', `/v1/carts/${b}/items`)).status).toBe(200);
      expect((await stockOf(mug)).reserved).toBe(2);
      expect((await call(apps.reserve, 'DELETE', `/v1/carts/${c}`)).status).toBe(204);
      expect(await stockOf(mug)).toEqual({ on_hand: 6, reserved: 0, available: 6 });
    });

    it('reserves a new cart’s items in the step that makes it, or makes no cart (409, each short item named)', async () => {
      const mug = await tracked(3);
      const tee = await tracked(10);
      const loose = freshSku('loose');
      const refused = await call(apps.reserve, 'POST', '/v1/carts', {
        currency: 'EUR',
        items: [line(tee, 2), line(mug, 2, 'a'), line(loose, 9), line(mug, 2, 'b')],
      });
      expect(refused.status).toBe(409);
      expect(refused.json.type).toBe('/problems/insufficient-stock');
      expect(refused.json.errors).toEqual([
        { path: 'items.1.quantity', message: `Only 3 of ${mug} available.`, available: 3 },
      ]);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 0, available: 3 });
      expect((await stockOf(tee)).reserved).toBe(0);
      // Exactly what is there fits.
      const made = await call(apps.reserve, 'POST', '/v1/carts', {
        currency: 'EUR',
        items: [line(mug, 2, 'a'), line(mug, 1, 'b'), line(tee, 10)],
      });
      expect(made.status).toBe(201);
      expect([(await stockOf(mug)).available, (await stockOf(tee)).available]).toEqual([0, 0]);
    });

    it('turns the cart’s reservations into the stock its checkout takes', async () => {
      const mug = await tracked(5);
      const a = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      expect((await checkout(a)).status).toBe(201);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 0, available: 3 });
    });

    it('lets live reservations take first come first served where the count was set below them', async () => {
      const mug = await tracked(4);
      const a = await emptyCart();
      const b = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      expect((await add(b, mug, 2)).status).toBe(201);
      expect((await call(apps.reserve, 'PUT', `/v1/admin/inventory/${mug}`, { on_hand: 3 }, admin)).status).toBe(200);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 4, available: 0 });
      expect((await checkout(a)).status).toBe(201);
      const short = await checkout(b);
      expect(short.status).toBe(409);
      const lineId = (await read(b)).items[0].id;
      expect(short.json.errors).toEqual([{ path: `items.${lineId}`, message: 'Only 1 available.', available: 1 }]);
      expect((await read(b)).warnings).toEqual([
        { code: 'insufficient-stock', path: `items.${lineId}`, message: 'Only 1 available.', available: 1 },
      ]);
    });
  });

  describe('INVENTORY=reserve: racing adds', () => {
    it('never reserves more than is there: 100 concurrent one-unit adds to 100 carts, 10 available, exactly 10 succeed', () =>
      reserveRace(apps.reserve, token));
  });

  describe('INVENTORY=reserve: reservations lapse by time alone', () => {
    it('holds the units until RESERVATION_MINUTES after the cart’s last change, and not a millisecond longer', async () => {
      const mug = await tracked(3);
      const a = await emptyCart();
      expect((await add(a, mug, 3)).status).toBe(201);
      const b = await emptyCart();
      clock.advance(15 * MINUTE_MS - 1);
      expect((await stockOf(mug)).reserved).toBe(3);
      expect((await add(b, mug, 1)).status).toBe(409);
      clock.advance(1);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 0, available: 3 });
      expect((await read(a)).warnings).toEqual([]);
      // Another cart takes them; the lapsed cart is warned, and its checkout refused.
      expect((await add(b, mug, 3)).status).toBe(201);
      const lineId = (await read(a)).items[0].id;
      expect((await read(a)).warnings).toEqual([
        { code: 'insufficient-stock', path: `items.${lineId}`, message: 'Only 0 available.', available: 0 },
      ]);
      expect((await checkout(a)).json.type).toBe('/problems/insufficient-stock');
      expect((await checkout(b)).status).toBe(201);
      expect(await stockOf(mug)).toEqual({ on_hand: 0, reserved: 0, available: 0 });
    });

    it('renews them with every change of the cart, not only changes to its lines', async () => {
      const mug = await tracked(2);
      const a = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      clock.advance(10 * MINUTE_MS);
      expect((await call(apps.reserve, 'PATCH', `/v1/carts/${a}`, { note: 'ring twice' })).status).toBe(200);
      clock.advance(10 * MINUTE_MS);
      expect((await stockOf(mug)).reserved).toBe(2);
      clock.advance(5 * MINUTE_MS);
      expect((await stockOf(mug)).reserved).toBe(0);
    });

    it('counts a reservation renewed seconds ago to the millisecond, whenever its lines last noted it', async () => {
      const mug = await tracked(2);
      const a = await emptyCart();
      const b = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      clock.advance(10_000);
      expect((await call(apps.reserve, 'PATCH', `/v1/carts/${a}`, { note: 'ten seconds on' })).status).toBe(200);
      // 15 minutes after the add, 10 s short of 15 minutes after the last change: still held.
      clock.advance(15 * MINUTE_MS - 10_000);
      expect((await stockOf(mug)).reserved).toBe(2);
      expect((await add(b, mug, 1)).status).toBe(409);
      clock.advance(10_000 - 1);
      expect((await stockOf(mug)).reserved).toBe(2);
      clock.advance(1);
      expect((await stockOf(mug)).reserved).toBe(0);
      expect((await add(b, mug, 2)).status).toBe(201);
    });

    it('lets a lapsed cart check out what is still there', async () => {
      const mug = await tracked(5);
      const a = await emptyCart();
      const b = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      clock.advance(20 * MINUTE_MS);
      expect((await add(b, mug, 3)).status).toBe(201);
      expect((await checkout(a)).status).toBe(201);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 3, available: 0 });
    });
  });

  describe('INVENTORY=reserve: no change reserves unchecked', () => {
    it('renews a lapsed cart on any change only where all it holds fits what other carts leave', async () => {
      const mug = await tracked(2);
      const a = await emptyCart();
      const b = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      clock.advance(16 * MINUTE_MS);
      expect((await add(b, mug, 2)).status).toBe(201);
      // A note on the lapsed cart changes it but reserves nothing: B's units stay B's.
      const noted = await call(apps.reserve, 'PATCH', `/v1/carts/${a}`, { note: 'ring twice' });
      expect(noted.status).toBe(200);
      expect(noted.json.warnings).toHaveLength(1);
      expect(await stockOf(mug)).toEqual({ on_hand: 2, reserved: 2, available: 0 });
      expect((await checkout(a)).json.type).toBe('/problems/insufficient-stock');
      expect((await checkout(b)).status).toBe(201);
    });

    it('refuses an add to a lapsed cart that holds more of another product than is left, and renews one made to fit', async () => {
      const mug = await tracked(3);
      const tee = await tracked(10);
      const a = await emptyCart();
      const mugLine = (await add(a, mug, 3)).json.items[0].id as number;
      clock.advance(16 * MINUTE_MS);
      const b = await emptyCart();
      expect((await add(b, mug, 2)).status).toBe(201);
      // The tees would fit, but the add could not reserve them: the cart's reservations cannot be renewed.
      const refused = await add(a, tee, 1);
      expect(refused.status).toBe(409);
      expect(refused.json.type).toBe('/problems/insufficient-stock');
      expect(refused.json.detail).toContain('reservations have lapsed');
      expect((await stockOf(tee)).reserved).toBe(0);
      // Lowering the mugs to what is left makes it fit: the same step renews the cart.
      const lowered = await call(apps.reserve, 'PATCH', `/v1/carts/${a}/items/${mugLine}`, { quantity: 1 });
      expect(lowered.status).toBe(200);
      expect(lowered.json.warnings).toEqual([]);
      expect(await stockOf(mug)).toEqual({ on_hand: 3, reserved: 3, available: 0 });
      expect((await add(a, tee, 1)).status).toBe(201);
      expect((await stockOf(tee)).reserved).toBe(1);
    });

    it('renews a lapsed cart that still fits, with a change to its lines or to anything else', async () => {
      const mug = await tracked(5);
      const a = await emptyCart();
      expect((await add(a, mug, 2)).status).toBe(201);
      clock.advance(16 * MINUTE_MS);
      expect((await stockOf(mug)).reserved).toBe(0);
      expect((await call(apps.reserve, 'PATCH', `/v1/carts/${a}`, { note: 'back again' })).status).toBe(200);
      expect((await stockOf(mug)).reserved).toBe(2);
      const b = await emptyCart();
      expect((await add(b, mug, 3)).status).toBe(201);
      expect((await add(b, mug, 1)).status).toBe(409);
    });

    it('warns a cart last changed before INVENTORY=reserve as a lapsed one, and its checkout agrees', async () => {
      const mug = await tracked(3);
      const old = await emptyCart(apps.track);
      const oldLine = (await add(old, mug, 2, apps.track)).json.items[0].id as number;
      const fresh = await emptyCart();
      expect((await add(fresh, mug, 3)).status).toBe(201);
      expect((await read(old)).warnings).toEqual([
        { code: 'insufficient-stock', path: `items.${oldLine}`, message: 'Only 0 available.', available: 0 },
      ]);
      // Under track the same cart is judged by what is on hand alone.
      expect((await read(old, apps.track)).warnings).toEqual([]);
      expect((await checkout(old)).json.type).toBe('/problems/insufficient-stock');
    });

    it('moves a sign-in merge’s units into the customer’s cart, reserved once, and lapses them where the anonymous cart’s had lapsed', async () => {
      const mug = await tracked(6);
      const bearer = { authorization: `Bearer ${await customer(`cus_${freshSku('m')}`)}` };
      const mine = (await call(apps.reserve, 'POST', '/v1/carts', { currency: 'EUR', items: [line(mug, 1)] }, bearer))
        .json.id as string;
      const anonymous = await emptyCart();
      expect((await add(anonymous, mug, 2, apps.reserve, 'gift')).status).toBe(201);
      expect((await stockOf(mug)).reserved).toBe(3);
      const merge = (cartId: string) =>
        call(apps.reserve, 'POST', '/v1/customers/me/cart/merge', { cart_id: cartId, mode: 'sum' }, bearer);
      const merged = await merge(anonymous);
      expect(merged.status).toBe(200);
      expect(merged.json.id).toBe(mine);
      expect(merged.json.item_count).toBe(3);
      expect(merged.json.warnings).toEqual([]);
      expect(await stockOf(mug)).toEqual({ on_hand: 6, reserved: 3, available: 3 });
      // An anonymous cart whose reservation lapsed brings its units unreserved: the merged cart lapses with them.
      const late = await emptyCart();
      expect((await add(late, mug, 3, apps.reserve, 'late')).status).toBe(201);
      clock.advance(16 * MINUTE_MS);
      expect((await call(apps.reserve, 'PATCH', `/v1/carts/${mine}`, { note: 'still here' }, bearer)).status).toBe(200);
      const rival = await emptyCart();
      expect((await add(rival, mug, 1)).status).toBe(201);
      expect((await stockOf(mug)).reserved).toBe(4);
      expect((await merge(late)).status).toBe(200);
      expect(await stockOf(mug)).toEqual({ on_hand: 6, reserved: 1, available: 5 });
    });
  });

  describe('the cart’s stock warnings', () => {
    it('with INVENTORY=track, warns of each line of a product the cart holds more of than is on hand, and not past that', async () => {
      const mug = await tracked(4);
      const cartId = await emptyCart(apps.track);
      const blue = (await add(cartId, mug, 3, apps.track, 'blue')).json.items[0].id as number;
      expect((await read(cartId, apps.track)).warnings).toEqual([]);
      // 4 is exactly what is on hand: no warning; 5 is one past.
      const both = await add(cartId, mug, 1, apps.track, 'red');
      expect(both.status).toBe(201);
      expect(both.json.warnings).toEqual([]);
      const red = both.json.items[1].id as number;
      const over = await add(cartId, mug, 1, apps.track, 'red');
      expect(over.status).toBe(200);
      const warning = { code: 'insufficient-stock', message: 'Only 4 available.', available: 4 };
      expect(over.json.warnings).toEqual([
        { ...warning, path: `items.${blue}` },
        { ...warning, path: `items.${red}` },
      ]);
      expect((await read(cartId, apps.track)).warnings).toEqual(over.json.warnings);
      // The same cart seen with INVENTORY unset warns of nothing.
      expect((await read(cartId, apps.none)).warnings).toEqual([]);
      expect(
        (await call(apps.track, 'POST', `/v1/admin/inventory/${mug}/adjustments`, { delta: 1 }, admin)).status,
      ).toBe(200);
      expect((await read(cartId, apps.track)).warnings).toEqual([]);
    });

    it('never answers 304 while stock is tracked: the warnings move without the version', async () => {
      const mug = await tracked(2);
      const cartId = await emptyCart(apps.track);
      const added = await add(cartId, mug, 2, apps.track);
      const etag = added.headers.get('etag') ?? '';
      const seen = await call(apps.track, 'GET', `/v1/carts/${cartId}`, undefined, { 'if-none-match': etag });
      expect(seen.status).toBe(200);
      expect(seen.json.warnings).toEqual([]);
      expect((await call(apps.track, 'PUT', `/v1/admin/inventory/${mug}`, { on_hand: 1 }, admin)).status).toBe(200);
      const moved = await call(apps.track, 'GET', `/v1/carts/${cartId}`, undefined, { 'if-none-match': etag });
      expect([moved.status, moved.json.warnings.length]).toEqual([200, 1]);
      expect((await call(apps.none, 'GET', `/v1/carts/${cartId}`, undefined, { 'if-none-match': etag })).status).toBe(
        304,
      );
    });
  });
}

/** 100 concurrent one-unit adds to 100 carts of a product with 10 available: exactly 10 succeed, the rest 409. */
export async function reserveRace(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const sku = freshSku('rush');
  expect((await documentedSend(fetcher, 'PUT', `/v1/admin/inventory/${sku}`, { on_hand: 10 }, admin)).status).toBe(201);
  const carts = await Promise.all(
    Array.from(
      { length: 100 },
      async () => (await documentedSend(fetcher, 'POST', '/v1/carts', { currency: 'EUR' })).json.id as string,
    ),
  );
  const replies = await Promise.all(
    carts.map((id) =>
      documentedSend(fetcher, 'POST', `/v1/carts/${id}/items`, {
        product_id: sku,
        name: sku,
        unit_price: 500,
        quantity: 1,
      }),
    ),
  );
  expect(replies.filter((reply) => reply.status === 201)).toHaveLength(10);
  const refused = replies.filter((reply) => reply.status !== 201);
  expect(refused.map((reply) => `${reply.status} ${reply.json.type}`)).toEqual(
    refused.map(() => '409 /problems/insufficient-stock'),
  );
  const left = await documentedSend(fetcher, 'GET', `/v1/admin/inventory/${sku}`, undefined, admin);
  expect(left.json).toMatchObject({ on_hand: 10, reserved: 10, available: 0 });
}
