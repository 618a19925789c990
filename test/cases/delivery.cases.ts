import fc from 'fast-check';
import { iso31661 } from 'iso-3166';
import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

/*
 * Delivery (API.md §10): options, the selection, and delivery priced into
 * the total and the order, on an app with PRICES=client and the admin token
 * `token`. Shipping rates are global, so each test ships to countries of its
 * own (and a rate for everywhere is priced in a currency of its own).
 */

const COUNTRIES = iso31661
  .map((country) => country.alpha2)
  .filter((code) => code !== 'DE')
  .sort();
let nextCountry = 0;
/** A country no other test of this file ships to. */
const freshCountry = () => {
  const code = COUNTRIES[nextCountry++];
  if (code === undefined) throw new Error('out of countries');
  return code;
};

export function deliveryCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  let serial = 0;
  const prefix = () => `r${Date.now().toString(36)}-${serial++}`;
  const putRate = async (id: string, rate: Record<string, unknown>) => {
    const reply = await call('PUT', `/v1/admin/shipping-rates/${id}`, { name: `Rate ${id}`, ...rate }, admin);
    expect([200, 201]).toContain(reply.status);
    return reply.json;
  };
  const address = (country: string) => ({ line1: 'Main St 1', city: 'Town', country });
  /** A cart of one line at `subtotal` (or the lines given), shipped to `country` if named. */
  const cart = async (currency: string, subtotal: number, country?: string, items?: unknown[]) => {
    const created = await call('POST', '/v1/carts', {
      currency,
      items: items ?? [{ product_id: 'sku-goods', name: 'Goods', unit_price: subtotal, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    if (country === undefined) return created.json;
    const patched = await call('PATCH', `/v1/carts/${id}`, { shipping_address: address(country) });
    expect(patched.status).toBe(200);
    return patched.json;
  };
  const read = async (id: string) => (await call('GET', `/v1/carts/${id}`)).json;
  const select = (id: string, optionId: unknown, headers: Record<string, string> = {}) =>
    call('PUT', `/v1/carts/${id}/delivery`, { option_id: optionId }, headers);
  const options = (shown: { delivery_options: Array<{ id: string; amount: number }> }) =>
    shown.delivery_options.map((option) => [option.id, option.amount]);
  /** A USD cart 1000 short of 2^53 − 1 (9007 × 10^12 + 199,254,739,991), shipped to `country`. */
  const nearTheCap = (country: string) =>
    cart('USD', 0, country, [
      { product_id: 'sku-top', name: 'Top', unit_price: 1_000_000_000_000, quantity: 9007 },
      { product_id: 'sku-rest', name: 'Rest', unit_price: 199_254_739_991, quantity: 1 },
    ]);
  const code = async (body: Record<string, unknown>) => {
    const name = `SHIP${Date.now().toString(36).toUpperCase()}${serial++}`;
    expect((await call('PUT', `/v1/admin/discounts/${name}`, body, admin)).status).toBe(201);
    return name;
  };

  describe('delivery options', () => {
    it('lists the active rates that deliver to the address in the cart’s currency, by amount then id; none without an address', async () => {
      const [here, elsewhere] = [freshCountry(), freshCountry()];
      const p = prefix();
      await putRate(`${p}-a`, { countries: [here], prices: { EUR: 700 } });
      await putRate(`${p}-b`, { countries: [here.toLowerCase()], prices: { EUR: 499 } });
      await putRate(`${p}-c`, { countries: [elsewhere, here], prices: { EUR: 499, USD: 1 } });
      await putRate(`${p}-inactive`, { countries: [here], prices: { EUR: 100 }, active: false });
      await putRate(`${p}-elsewhere`, { countries: [elsewhere], prices: { EUR: 100 } });
      await putRate(`${p}-dollars`, { countries: [here], prices: { USD: 100 } });
      const unaddressed = await cart('EUR', 2000);
      expect(unaddressed).toMatchObject({ delivery_options: [], delivery: null, shipping_total: 0, total: 2000 });
      const shipped = await cart('EUR', 2000, here);
      expect(options(shipped)).toEqual([
        [`${p}-b`, 499],
        [`${p}-c`, 499],
        [`${p}-a`, 700],
      ]);
      expect(shipped.delivery_options[0]).toEqual({ id: `${p}-b`, name: `Rate ${p}-b`, amount: 499 });
      // Options cost nothing until one is selected.
      expect(shipped).toMatchObject({ delivery: null, shipping_total: 0, total: 2000 });
      expect(await read(shipped.id)).toEqual(shipped);
      expect(options(await cart('USD', 2000, here))).toEqual([
        [`${p}-c`, 1],
        [`${p}-dollars`, 100],
      ]);
    });

    it('takes a rate for everywhere (`*`) as covering any country', async () => {
      const p = prefix();
      await putRate(`${p}-world`, { countries: ['*'], prices: { CHF: 1500 } });
      expect(options(await cart('CHF', 100, freshCountry()))).toEqual([[`${p}-world`, 1500]]);
      expect(options(await cart('CHF', 100))).toEqual([]);
    });

    it('holds the merchandise total to the band inclusively, and is free from free_over on, judged after discounts', async () => {
      const country = freshCountry();
      const p = prefix();
      const band = { min_subtotal: { EUR: 1000 }, max_subtotal: { EUR: 3000 }, free_over: { EUR: 2500 } };
      await putRate(`${p}-band`, { countries: [country], prices: { EUR: 500 }, ...band });
      const at = async (subtotal: number) => options(await cart('EUR', subtotal, country));
      expect(await at(999)).toEqual([]);
      expect(await at(1000)).toEqual([[`${p}-band`, 500]]);
      expect(await at(2499)).toEqual([[`${p}-band`, 500]]);
      expect(await at(2500)).toEqual([[`${p}-band`, 0]]);
      expect(await at(3000)).toEqual([[`${p}-band`, 0]]);
      expect(await at(3001)).toEqual([]);
      // 10% off: 2700 is 2430 of merchandise (not free), 1100 is 990 (under the band), 3300 is 2970 (free).
      const tenOff = await code({ kind: 'percentage', percent_off_bp: 1000 });
      const discounted = async (subtotal: number) => {
        const shown = await cart('EUR', subtotal, country);
        const attached = await call('POST', `/v1/carts/${shown.id}/discount-codes`, { code: tenOff });
        expect(attached.status).toBe(200);
        return attached.json;
      };
      expect(options(await discounted(2700))).toEqual([[`${p}-band`, 500]]);
      expect(options(await discounted(1100))).toEqual([]);
      expect(options(await discounted(3300))).toEqual([[`${p}-band`, 0]]);
      // A bound (or free_over) in another currency is none for this cart.
      await putRate(`${p}-yen`, {
        countries: [country],
        prices: { EUR: 900 },
        min_subtotal: { JPY: 10 ** 9 },
        max_subtotal: { JPY: 1 },
        free_over: { JPY: 1 },
      });
      expect(await at(50)).toEqual([[`${p}-yen`, 900]]);
    });
  });

  describe('selecting a delivery', () => {
    it('selects an option (version + 1) and prices it into the total; If-Match is honoured', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { name: 'Standard', countries: [country], prices: { EUR: 499 } });
      const shown = await cart('EUR', 2000, country);
      const stale = await select(shown.id, `${p}-std`, { 'if-match': `"${shown.version - 1}"` });
      expect(stale.status).toBe(412);
      const chosen = await select(shown.id, `${p}-std`, { 'if-match': `"${shown.version}"` });
      expect(chosen.status).toBe(200);
      expect(chosen.headers.get('etag')).toBe(`"${shown.version + 1}"`);
      expect(chosen.json).toMatchObject({
        version: shown.version + 1,
        delivery: { option_id: `${p}-std`, name: 'Standard', amount: 499, applicable: true },
        shipping_total: 499,
        subtotal: 2000,
        discount_total: 0,
        total: 2499,
      });
      expect(chosen.json.delivery.reason).toBeUndefined();
      expect(await read(shown.id)).toEqual(chosen.json);
    });

    it('refuses (422 delivery-unavailable at option_id) a rate that is not an option now, changing nothing', async () => {
      const [country, elsewhere] = [freshCountry(), freshCountry()];
      const p = prefix();
      await putRate(`${p}-ok`, { countries: [country], prices: { EUR: 499 }, max_subtotal: { EUR: 5000 } });
      await putRate(`${p}-off`, { countries: [country], prices: { EUR: 499 }, active: false });
      await putRate(`${p}-far`, { countries: [elsewhere], prices: { EUR: 499 } });
      await putRate(`${p}-usd`, { countries: [country], prices: { USD: 499 } });
      const shown = await cart('EUR', 2000, country);
      const big = await cart('EUR', 5001, country);
      const bare = await cart('EUR', 2000);
      for (const [id, option, why] of [
        [shown.id, `${p}-nothing`, 'No such shipping rate.'],
        [shown.id, `${p}-off`, 'not active'],
        [shown.id, `${p}-far`, 'country'],
        [shown.id, `${p}-usd`, 'currency'],
        [big.id, `${p}-ok`, 'maximum'],
        [bare.id, `${p}-ok`, 'no shipping address'],
      ] as const) {
        const refused = await select(id, option);
        expect(refused.status, option).toBe(422);
        expect(refused.json.type).toBe('/problems/delivery-unavailable');
        expect(refused.json.detail).toContain(why);
        expect(refused.json.errors.map((error: { path: string }) => error.path)).toEqual(['option_id']);
      }
      expect(await read(shown.id)).toMatchObject({ version: shown.version, delivery: null });
      expect(await read(bare.id)).toMatchObject({ version: bare.version, delivery: null });
    });

    it('refuses a body without a string option_id, or with other members, or not JSON (4xx), changing nothing', async () => {
      const shown = await cart('EUR', 2000, freshCountry());
      for (const body of [{}, { option_id: 5 }, { option_id: '' }, { option_id: 'x', extra: 1 }, [1]]) {
        const refused = await call('PUT', `/v1/carts/${shown.id}/delivery`, body);
        expect(refused.status, JSON.stringify(body)).toBe(422);
        expect(refused.json.type).toBe('/problems/validation-failed');
      }
      const plain = await call('PUT', `/v1/carts/${shown.id}/delivery`, 'option_id=x', {
        'content-type': 'text/plain',
      });
      expect(plain.status).toBe(415);
      expect((await select('crt_nosuchcartnosuchcart00', 'x')).status).toBe(404);
      expect((await read(shown.id)).version).toBe(shown.version);
    });

    it('keeps a selection that stops applying, shown not applicable with its reason and charged nothing, until it applies again', async () => {
      const [country, elsewhere] = [freshCountry(), freshCountry()];
      const p = prefix();
      const rate = { name: 'Banded', countries: [country], prices: { EUR: 500 }, min_subtotal: { EUR: 1000 } };
      await putRate(`${p}-band`, rate);
      const shown = await cart('EUR', 0, country, [
        { product_id: 'sku-a', name: 'A', unit_price: 600, quantity: 1 },
        { product_id: 'sku-b', name: 'B', unit_price: 600, quantity: 1 },
      ]);
      const chosen = await select(shown.id, `${p}-band`);
      expect(chosen.json).toMatchObject({ shipping_total: 500, total: 1700 });
      const expectNot = async (reason: string, subtotal: number, name = 'Banded') => {
        const now = await read(shown.id);
        expect(now.delivery).toEqual({ option_id: `${p}-band`, name, amount: 0, applicable: false, reason });
        expect([now.shipping_total, now.subtotal, now.total]).toEqual([0, subtotal, subtotal]);
      };
      await call('PATCH', `/v1/carts/${shown.id}`, { shipping_address: { country: elsewhere } });
      await expectNot('country', 1200);
      await call('PATCH', `/v1/carts/${shown.id}`, { shipping_address: null });
      await expectNot('no-address', 1200);
      await call('PATCH', `/v1/carts/${shown.id}`, { shipping_address: address(country) });
      expect((await read(shown.id)).delivery).toMatchObject({ applicable: true, amount: 500 });
      const line = (await read(shown.id)).items[1].id;
      expect((await call('DELETE', `/v1/carts/${shown.id}/items/${line}`)).status).toBe(200);
      await expectNot('minimum', 600);
      await call('POST', `/v1/carts/${shown.id}/items`, { product_id: 'sku-c', name: 'C', unit_price: 600 });
      await putRate(`${p}-band`, { ...rate, prices: { USD: 500 } });
      await expectNot('currency', 1200);
      await putRate(`${p}-band`, { ...rate, active: false });
      await expectNot('inactive', 1200);
      await putRate(`${p}-band`, { ...rate, max_subtotal: { EUR: 1199 } });
      await expectNot('maximum', 1200);
      await putRate(`${p}-band`, { ...rate, name: 'Renamed' });
      expect((await read(shown.id)).delivery).toMatchObject({ name: 'Renamed', applicable: true });
      expect((await call('DELETE', `/v1/admin/shipping-rates/${p}-band`, undefined, admin)).status).toBe(204);
      // A deleted rate is shown under the name it was selected by.
      await expectNot('unknown', 1200, 'Banded');
    });

    it('clears the selection (version + 1); clearing none answers the cart as it is', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const shown = await cart('EUR', 2000, country);
      const chosen = await select(shown.id, `${p}-std`);
      const cleared = await call('DELETE', `/v1/carts/${shown.id}/delivery`);
      expect(cleared.status).toBe(200);
      expect(cleared.json).toMatchObject({
        version: chosen.json.version + 1,
        delivery: null,
        shipping_total: 0,
        total: 2000,
      });
      const again = await call('DELETE', `/v1/carts/${shown.id}/delivery`);
      expect([again.status, again.json.version, again.headers.get('etag')]).toEqual([
        200,
        cleared.json.version,
        `"${cleared.json.version}"`,
      ]);
      const stale = await call('DELETE', `/v1/carts/${shown.id}/delivery`, undefined, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
    });
  });

  describe('checking out with a delivery', () => {
    const checkout = (id: string, body: Record<string, unknown> = {}) => call('POST', `/v1/carts/${id}/checkout`, body);

    it('needs an address and a delivery for goods to ship (409 delivery-required), and refuses one that no longer applies (409 delivery-unavailable)', async () => {
      const [country, elsewhere] = [freshCountry(), freshCountry()];
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const bare = await cart('EUR', 2000);
      const required = await checkout(bare.id);
      expect([required.status, required.json.type]).toEqual([409, '/problems/delivery-required']);
      const addressed = await cart('EUR', 2000, country);
      expect((await checkout(addressed.id)).json.type).toBe('/problems/delivery-required');
      await select(addressed.id, `${p}-std`);
      await call('PATCH', `/v1/carts/${addressed.id}`, { shipping_address: { country: elsewhere } });
      const moved = await checkout(addressed.id);
      expect([moved.status, moved.json.type]).toEqual([409, '/problems/delivery-unavailable']);
      for (const id of [bare.id, addressed.id]) expect((await read(id)).status).toBe('open');
      // A selection kept after its address was removed does not apply either.
      await call('PATCH', `/v1/carts/${addressed.id}`, { shipping_address: null });
      expect((await read(addressed.id)).delivery).toMatchObject({ applicable: false, reason: 'no-address' });
      expect((await checkout(addressed.id)).json.type).toBe('/problems/delivery-unavailable');
    });

    it('refuses a selection that a repriced rate takes past the largest exact amount (409 delivery-unavailable)', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-x`, { countries: [country], prices: { USD: 1000 } });
      const top = await nearTheCap(country);
      expect((await select(top.id, `${p}-x`)).json.total).toBe(9_007_199_254_740_991);
      await putRate(`${p}-x`, { countries: [country], prices: { USD: 1001 } });
      expect((await read(top.id)).delivery).toMatchObject({ applicable: false, reason: 'over-limit' });
      const refused = await checkout(top.id);
      expect([refused.status, refused.json.type]).toEqual([409, '/problems/delivery-unavailable']);
    });

    it('answers a conditional read of a cart with a delivery in full: a rate moves its total without a new version', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const shown = await cart('EUR', 1000, country);
      const chosen = await select(shown.id, `${p}-std`);
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 650 } });
      const again = await call('GET', `/v1/carts/${shown.id}`, undefined, {
        'if-none-match': chosen.headers.get('etag') ?? '',
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ version: chosen.json.version, shipping_total: 650, total: 1650 });
    });

    it('records the delivery, its amount and both addresses on the order; the total is subtotal − discounts + shipping', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { name: 'Standard', countries: [country], prices: { EUR: 499 } });
      // Another option, listed first: the order charges the one selected.
      await putRate(`${p}-a-express`, { name: 'Express', countries: [country], prices: { EUR: 1500 } });
      const shown = await cart('EUR', 2000, country);
      await call('PATCH', `/v1/carts/${shown.id}`, { email: 'ada@example.com', billing_address: address('DE') });
      const fiveOff = await code({ kind: 'fixed', amount_off: { EUR: 500 } });
      await call('POST', `/v1/carts/${shown.id}/discount-codes`, { code: fiveOff });
      const chosen = (await select(shown.id, `${p}-std`)).json;
      expect(chosen).toMatchObject({ subtotal: 2000, discount_total: 500, shipping_total: 499, total: 1999 });
      const wrong = await checkout(shown.id, { expected_total: 1500 });
      expect(wrong.status).toBe(409);
      expect(wrong.json).toMatchObject({ type: '/problems/total-changed', total: 1999 });
      const placed = await checkout(shown.id, { expected_total: 1999 });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        subtotal: 2000,
        discount_total: 500,
        delivery: { option_id: `${p}-std`, name: 'Standard', amount: 499 },
        shipping_total: 499,
        total: 1999,
        email: 'ada@example.com',
        shipping_address: { country, line1: 'Main St 1' },
        billing_address: { country: 'DE' },
      });
      expect(await read(shown.id)).toMatchObject({
        status: 'checked_out',
        delivery: { option_id: `${p}-std`, amount: 499, applicable: true },
        shipping_total: 499,
        total: 1999,
      });
    });

    it('charges the rate as it is when the order is placed: a price changed since the selection', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const shown = await cart('EUR', 2000, country);
      await select(shown.id, `${p}-std`);
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 650 } });
      const seen = await checkout(shown.id, { expected_total: 2499 });
      expect(seen.json).toMatchObject({ type: '/problems/total-changed', total: 2650 });
      expect(seen.json.cart).toMatchObject({ shipping_total: 650, total: 2650 });
      const placed = await checkout(shown.id, { expected_total: 2650 });
      expect(placed.json).toMatchObject({ shipping_total: 650, total: 2650, delivery: { amount: 650 } });
    });

    it('checks a cart of goods that do not ship out without a delivery, and one with a shippable line not', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const digital = `${p}-ebook`;
      const product = await call(
        'PUT',
        `/v1/admin/products/${digital}`,
        { name: 'E-book', prices: { EUR: 900 }, shippable: false },
        admin,
      );
      expect(product.status).toBe(201);
      const ebook = { product_id: digital, name: 'E-book', unit_price: 900, quantity: 1 };
      const onlyDigital = await cart('EUR', 0, undefined, [ebook]);
      const placed = await checkout(onlyDigital.id);
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ delivery: null, shipping_total: 0, total: 900 });
      const mixed = await cart('EUR', 0, undefined, [ebook, { product_id: 'sku-mug', name: 'Mug', unit_price: 100 }]);
      expect((await checkout(mixed.id)).json.type).toBe('/problems/delivery-required');
      // A delivery the buyer selected anyway is charged, as the cart showed it.
      const chosen = await cart('EUR', 0, country, [ebook]);
      expect((await select(chosen.id, `${p}-std`)).json.total).toBe(1399);
      const charged = await checkout(chosen.id, { expected_total: 1399 });
      expect(charged.json).toMatchObject({ shipping_total: 499, total: 1399 });
    });

    it('adds delivery to the total exactly in every currency exponent (JPY, USD, KWD)', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-x`, { countries: [country], prices: { JPY: 800, USD: 1, KWD: 1500 } });
      const line = (unit_price: number, quantity = 1) => ({
        product_id: `sku-${unit_price}`,
        name: 'X',
        unit_price,
        quantity,
      });
      for (const [currency, subtotal, shipping, items] of [
        ['JPY', 12_345, 800, [line(12_345)]],
        // Near the cap: 9007 × 10^12 + 199,254,740,000.
        ['USD', 9_007_199_254_740_000, 1, [line(1_000_000_000_000, 9007), line(199_254_740_000)]],
        ['KWD', 10_250, 1500, [line(10_250)]],
      ] as const) {
        const shown = await cart(currency, 0, country, [...items]);
        expect(shown.subtotal, currency).toBe(subtotal);
        const chosen = await select(shown.id, `${p}-x`);
        expect(chosen.json.total, currency).toBe(subtotal + shipping);
        const placed = await checkout(shown.id, { expected_total: subtotal + shipping });
        expect(placed.status, currency).toBe(201);
        expect([placed.json.subtotal, placed.json.shipping_total, placed.json.total]).toEqual([
          subtotal,
          shipping,
          subtotal + shipping,
        ]);
      }
    });

    it('offers no rate whose amount would take the total past the largest exact amount', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-x`, { countries: [country], prices: { USD: 1000 } });
      const top = await nearTheCap(country);
      // 1000 short of 2^53 − 1: with the delivery the total is exactly the largest exact amount.
      expect(top.subtotal).toBe(9_007_199_254_739_991);
      expect(options(top)).toEqual([[`${p}-x`, 1000]]);
      await call('POST', `/v1/carts/${top.id}/items`, { product_id: 'sku-more', name: 'More', unit_price: 1 });
      const over = await read(top.id);
      expect(over.subtotal).toBe(9_007_199_254_739_992);
      expect(options(over)).toEqual([]);
      expect((await select(top.id, `${p}-x`)).json.detail).toContain('largest exact amount');
    });
  });

  describe('delivery in races', () => {
    it('charges a rate repriced while checkouts run either price it had, never another', async () => {
      const country = freshCountry();
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const carts = [];
      for (let i = 0; i < 8; i++) {
        const shown = await cart('EUR', 1000, country);
        expect((await select(shown.id, `${p}-std`)).status).toBe(200);
        carts.push(shown.id);
      }
      const prices = [650, 499, 700, 499];
      const outcomes = await Promise.all([
        ...carts.map((id) => call('POST', `/v1/carts/${id}/checkout`, {})),
        ...prices.map((price) => putRate(`${p}-std`, { countries: [country], prices: { EUR: price } })),
      ]);
      const orders = outcomes.slice(0, carts.length);
      for (const order of orders) {
        expect(order.status).toBe(201);
        expect([499, 650, 700]).toContain(order.json.shipping_total);
        expect(order.json.total).toBe(1000 + order.json.shipping_total);
        expect(order.json.delivery.amount).toBe(order.json.shipping_total);
      }
    });

    it('never leaves a selection applicable for an address it does not cover, whatever order address changes and selections land in', async () => {
      const [country, elsewhere] = [freshCountry(), freshCountry()];
      const p = prefix();
      await putRate(`${p}-std`, { countries: [country], prices: { EUR: 499 } });
      const shown = await cart('EUR', 1000, country);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 === 0
            ? call('PATCH', `/v1/carts/${shown.id}`, {
                shipping_address: { country: i % 4 === 0 ? elsewhere : country },
              })
            : select(shown.id, `${p}-std`),
        ),
      );
      const now = await read(shown.id);
      const covered = now.shipping_address.country === country;
      if (now.delivery !== null) {
        expect(now.delivery.applicable).toBe(covered);
        expect(now.shipping_total).toBe(covered ? 499 : 0);
      }
      expect(now.total).toBe(1000 + now.shipping_total);
    });
  });

  describe('delivery against a reference model', () => {
    it('shows the options, the selection and the total a hand-written model works out, over random carts and rates', async () => {
      const amount = fc.integer({ min: 0, max: 5000 });
      const rateArb = fc.record({
        price: amount,
        active: fc.boolean(),
        here: fc.boolean(),
        min: fc.option(amount, { nil: null }),
        max: fc.option(amount, { nil: null }),
        free: fc.option(amount, { nil: null }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(rateArb, { minLength: 1, maxLength: 4 }),
          fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 3 }),
          fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
          fc.nat(3),
          async (rates, prices, percentBp, pick) => {
            const [country, other] = [freshCountry(), freshCountry()];
            const p = prefix();
            for (const [i, r] of rates.entries())
              await putRate(`${p}-${i}`, {
                countries: [r.here ? country : other],
                prices: { EUR: r.price },
                active: r.active,
                min_subtotal: r.min === null ? null : { EUR: r.min },
                max_subtotal: r.max === null ? null : { EUR: r.max },
                free_over: r.free === null ? null : { EUR: r.free },
              });
            const items = prices.map((price, i) => ({ product_id: `sku-${i}`, name: `P${i}`, unit_price: price }));
            let shown = await cart('EUR', 0, country, items);
            if (percentBp !== null) {
              const pct = await code({ kind: 'percentage', percent_off_bp: percentBp });
              shown = (await call('POST', `/v1/carts/${shown.id}/discount-codes`, { code: pct })).json;
            }
            // The model: merchandise = subtotal − discount_total; a rate delivers while active, here,
            // and min ≤ merchandise ≤ max; free from free_over on.
            const merchandise = shown.subtotal - shown.discount_total;
            const expected = rates
              .map((r, i) => ({ r, id: `${p}-${i}` }))
              .filter(
                ({ r }) => r.active && r.here && (r.min ?? 0) <= merchandise && merchandise <= (r.max ?? Infinity),
              )
              .map(({ r, id }) => [id, r.free !== null && merchandise >= r.free ? 0 : r.price] as [string, number])
              .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
            expect(options(shown)).toEqual(expected);
            const chosenId = `${p}-${pick % rates.length}`;
            const chosen = await select(shown.id, chosenId);
            const hit = expected.find(([id]) => id === chosenId);
            if (hit === undefined) {
              expect(chosen.status).toBe(422);
              return;
            }
            expect(chosen.json).toMatchObject({ shipping_total: hit[1], total: merchandise + hit[1] });
            const placed = await call('POST', `/v1/carts/${shown.id}/checkout`, {
              expected_total: merchandise + hit[1],
            });
            expect(placed.status).toBe(201);
            expect(placed.json.total).toBe(
              placed.json.subtotal - placed.json.discount_total + placed.json.shipping_total,
            );
          },
        ),
        { numRuns: 15 },
      );
    });
  });
}
