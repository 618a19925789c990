import { describe, expect, it } from 'vitest';
import { NO_TAX } from '../cart/tax.js';
import type { AttachedCode, CartDocument } from './cart-json.js';
import { shownBody as shownWith, viewMemory } from './cart-view.js';

const shownBody = (document: CartDocument, now: number) => shownWith(document, now, { tax: NO_TAX, stock: false });

// A line whose name holds the very text the view looks for, escaped as JSON escapes it.
const TRICKY = 'x","discount_allocations":[],"line_total":5,"metadata":{"id":7,"product_id":"p"}';
const line = (id: number, total: number, name = `Line ${id}`) => ({
  id,
  product_id: `sku-${id}`,
  name,
  unit_price: total,
  quantity: 1,
  line_total: total,
  metadata: id === 1 ? { id: 99, product_id: 'x', note: TRICKY } : { a: 1, line_total: 1_000_000_000, metadata: 0 },
  price_source: 'custom',
  discount_allocations: [],
  tax_lines: [],
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});
/** A body as the database writes it (cart-json.ts cartJson), key for key. */
const body = JSON.stringify({
  id: 'crt_AAAAAAAAAAAAAAAAAAAAAA',
  currency: 'USD',
  version: 3,
  status: 'open',
  order_id: null,
  customer_id: null,
  items: [line(1, 1000, TRICKY), line(2, 3000)],
  line_count: 2,
  item_count: 2,
  subtotal: 4000,
  discount_codes: [],
  discount_total: 0,
  delivery_options: [],
  delivery: null,
  shipping_total: 0,
  shipping_tax_lines: [],
  tax_total: 0,
  prices_include_tax: false,
  tax_status: 'not_applicable',
  total: 4000,
  metadata: { total: '"total":1' },
  email: null,
});
const ENDS = Date.UTC(2026, 5, 1);
const STARTS = Date.UTC(2026, 4, 1);
const code = (name: string, startsAt: number | null, endsAt: number | null): AttachedCode => [
  name,
  1,
  'percentage',
  1000,
  null,
  null,
  startsAt,
  endsAt,
  null,
  0,
  1,
  1,
  0,
  0,
];
const doc = (codes: AttachedCode[]): CartDocument => ({
  version: 3,
  expiresAt: null,
  body,
  codes: JSON.stringify(codes),
  order: null,
  delivery: null,
  lines: '[[1,1000,null],[2,3000,null]]',
  tax: null,
  stock: null,
});

describe('shownBody', () => {
  it('writes the discounts into the body without being misled by a buyer’s text or metadata that looks like its keys', () => {
    const shown = JSON.parse(shownBody(doc([code('TEN', null, null)]), ENDS));
    expect(shown.items.map((item: { discount_allocations: unknown }) => item.discount_allocations)).toEqual([
      [{ code: 'TEN', amount: 100 }],
      [{ code: 'TEN', amount: 300 }],
    ]);
    expect(shown.items[0].name).toBe(TRICKY);
    expect(shown.items[0].metadata).toEqual({ id: 99, product_id: 'x', note: TRICKY });
    expect(shown.metadata).toEqual({ total: '"total":1' });
    expect([shown.discount_total, shown.total, shown.discount_codes]).toEqual([
      400,
      3600,
      [{ code: 'TEN', applicable: true, amount: 400 }],
    ]);
  });

  it('shows a body it remembers exactly as it showed it first, read again as a new string', () => {
    const first = shownBody(doc([code('TEN', null, null)]), ENDS);
    // The same document as a later read gives it: equal text, another string.
    const again = shownBody({ ...doc([code('TEN', null, null)]), body: `${body} `.trimEnd() }, ENDS);
    expect(again).toBe(first);
    expect(JSON.parse(again).items[1].discount_allocations).toEqual([{ code: 'TEN', amount: 300 }]);
    expect(JSON.parse(again).total).toBe(3600);
  });

  it('works a cart out again when the time crosses a code’s ends_at or starts_at, though the document is the same', () => {
    const ending = doc([code('ENDING', null, ENDS)]);
    expect(JSON.parse(shownBody(ending, ENDS - 1)).total).toBe(3600);
    expect(JSON.parse(shownBody(ending, ENDS)).discount_codes[0]).toMatchObject({ applicable: false, reason: 'ended' });
    expect(JSON.parse(shownBody(ending, ENDS - 1)).total).toBe(3600);
    const starting = doc([code('STARTING', STARTS, null)]);
    expect(JSON.parse(shownBody(starting, STARTS)).total).toBe(3600);
    expect(JSON.parse(shownBody(starting, STARTS - 1)).total).toBe(4000);
    expect(JSON.parse(shownBody(starting, STARTS + 1)).total).toBe(3600);
  });

  it('works a cart out again when its codes change, though its body is the same', () => {
    expect(JSON.parse(shownBody(doc([code('TEN', null, null)]), ENDS)).total).toBe(3600);
    const twice = doc([code('TEN', null, null), code('MORE', null, null)]);
    expect(JSON.parse(shownBody(twice, ENDS)).total).toBe(3240);
  });

  it('keeps at most about 4 M characters of worked-out views, the oldest going first, and none too large to keep', () => {
    const big = (n: number, pad: number) => ({
      ...doc([code('TEN', null, null)]),
      body: body.replace('"currency":"USD"', `"currency":"USD","pad":"${String(n).padEnd(pad, '.')}"`),
    });
    for (let n = 0; n < 200; n++) shownBody(big(n, 60_000), ENDS);
    const after = viewMemory();
    expect(after.chars).toBeLessThanOrEqual(4_000_000);
    expect(after.chars).toBeGreaterThan(3_500_000);
    expect(after.entries).toBeLessThan(200);
    // A view over a sixteenth of the budget is worked out, not kept.
    const before = viewMemory();
    expect(JSON.parse(shownBody(big(1000, 300_000), ENDS)).total).toBe(3600);
    expect(viewMemory()).toEqual(before);
  });
});
