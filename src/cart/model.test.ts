import { describe, expect, it } from 'vitest';
import type { LineChange, NewLine } from './changes.js';
import { LIMITS, MAX_AMOUNT } from './limits.js';
import { type CartState, factsOf, isLive, judge, type LineRecord, linesFromItems } from './model.js';
import { explain } from './refusals.js';

const line = (id: number, over: Partial<NewLine> = {}): LineRecord => ({
  id,
  productId: `p-${id}`,
  name: `Product ${id}`,
  unitPrice: 100,
  quantity: 1,
  metadata: '{}',
  priceSource: 'custom',
  ...over,
});
const cart = (lines: LineRecord[], over: Partial<CartState['cart']> = {}): CartState => ({
  cart: { version: 3, expiresAt: 2_000, ...over },
  lines,
});
const add = (over: Partial<NewLine> = {}): LineChange => ({
  kind: 'add',
  line: {
    productId: 'p-new',
    name: 'New',
    unitPrice: 100,
    quantity: 1,
    metadata: '{}',
    priceSource: 'custom',
    ...over,
  },
});
const NOW = 1_000;

describe('the cart rules, judged in memory', () => {
  it('lets a live cart take an add', () => {
    expect(judge(cart([]), add(), {}, NOW)).toBeUndefined();
  });

  it('finds a cart expired at exactly its expiry time, and live a millisecond before', () => {
    expect(judge(cart([], { expiresAt: NOW }), add(), {}, NOW)).toBe('cart-not-found');
    expect(judge(cart([], { expiresAt: NOW + 1 }), add(), {}, NOW)).toBeUndefined();
    expect(isLive({ version: 1, expiresAt: NOW }, NOW)).toBe(false);
    expect(isLive({ version: 1, expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(isLive({ version: 1, expiresAt: null }, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('refuses any change to a cart that is not there', () => {
    expect(judge({ cart: undefined, lines: [] }, add(), {}, NOW)).toBe('cart-not-found');
    expect(judge({ cart: undefined, lines: [] }, { kind: 'clear' }, {}, NOW)).toBe('cart-not-found');
  });

  it('holds If-Match and If-None-Match to the cart version', () => {
    expect(judge(cart([]), add(), { ifMatch: [3] }, NOW)).toBeUndefined();
    expect(judge(cart([]), add(), { ifMatch: [2, 4] }, NOW)).toBe('precondition-failed');
    expect(judge(cart([]), add(), { ifMatch: [] }, NOW)).toBe('precondition-failed');
    expect(judge(cart([]), add(), { ifMatch: 'any' }, NOW)).toBeUndefined();
    expect(judge(cart([]), add(), { ifNoneMatch: [3] }, NOW)).toBe('precondition-failed');
    expect(judge(cart([]), add(), { ifNoneMatch: [2] }, NOW)).toBeUndefined();
    expect(judge(cart([]), add(), { ifNoneMatch: 'any' }, NOW)).toBe('precondition-failed');
  });

  it('reports a missing cart before a failed precondition', () => {
    expect(judge(cart([], { expiresAt: NOW }), add(), { ifMatch: [9] }, NOW)).toBe('cart-not-found');
  });

  it('merges up to exactly the quantity limit, and no further', () => {
    const state = cart([line(1, { productId: 'p-new', quantity: LIMITS.quantityMax - 5 })]);
    expect(judge(state, add({ quantity: 5 }), {}, NOW)).toBeUndefined();
    expect(judge(state, add({ quantity: 6 }), {}, NOW)).toBe('quantity-over-limit');
    const facts = factsOf(state, add({ quantity: 6 }));
    expect(explain('quantity-over-limit', facts, add({ quantity: 6 }))).toBe(
      `Merged into its line the quantity would be ${LIMITS.quantityMax + 1}; at most ${LIMITS.quantityMax}.`,
    );
  });

  it('words a quantity refusal by what was asked: a merge names the merged total, a change only the limit', () => {
    const state = cart([line(1, { quantity: 9 })]);
    const update: LineChange = { kind: 'update', lineId: 1, set: { quantity: LIMITS.quantityMax + 1 } };
    expect(judge(state, update, {}, NOW)).toBe('quantity-over-limit');
    expect(explain('quantity-over-limit', factsOf(state, update), update)).toBe(
      `A line holds at most ${LIMITS.quantityMax}.`,
    );
    const fresh = add({ quantity: LIMITS.quantityMax + 1 });
    expect(explain('quantity-over-limit', factsOf(state, fresh), fresh)).toBe(
      `A line holds at most ${LIMITS.quantityMax}.`,
    );
  });

  it('takes the 250th line, refuses the 251st, and still merges into a full cart', () => {
    const lines = Array.from({ length: LIMITS.linesPerCart - 1 }, (_, i) => line(i + 1));
    expect(judge(cart(lines), add(), {}, NOW)).toBeUndefined();
    const full = [...lines, line(LIMITS.linesPerCart)];
    expect(judge(cart(full), add(), {}, NOW)).toBe('cart-full');
    expect(judge(cart(full), add({ productId: 'p-1' }), {}, NOW)).toBeUndefined();
  });

  it('counts a line of the classic surface (no product) as a line, and never merges it', () => {
    const classic = { ...line(1), productId: null };
    const lines = [classic, ...Array.from({ length: LIMITS.linesPerCart - 1 }, (_, i) => line(i + 2))];
    expect(judge(cart(lines), add({ productId: null }), {}, NOW)).toBe('cart-full');
    expect(factsOf(cart([classic]), add({ productId: null })).target.exists).toBe(false);
  });

  it('keeps the subtotal at most MAX_SAFE_INTEGER, exactly', () => {
    const big = line(1, { unitPrice: 1_000_000_000_000, quantity: 9007 });
    const room = MAX_AMOUNT - 9007 * 1_000_000_000_000;
    expect(judge(cart([big]), add({ unitPrice: room }), {}, NOW)).toBeUndefined();
    expect(judge(cart([big]), add({ unitPrice: room + 1 }), {}, NOW)).toBe('subtotal-over-limit');
  });

  it('judges an update by the line’s price and quantity after it', () => {
    const state = cart([line(1, { unitPrice: 1_000_000_000_000, quantity: 9000 }), line(2)]);
    expect(judge(state, { kind: 'update', lineId: 1, set: { quantity: 9007 } }, {}, NOW)).toBeUndefined();
    expect(judge(state, { kind: 'update', lineId: 1, set: { quantity: 9008 } }, {}, NOW)).toBe('subtotal-over-limit');
    expect(judge(state, { kind: 'update', lineId: 9, set: { quantity: 1 } }, {}, NOW)).toBe('line-not-found');
  });

  it('refuses quantity 0 for a product line but allows it for a classic line', () => {
    const state = cart([line(1), { ...line(2), productId: null }]);
    expect(judge(state, { kind: 'update', lineId: 1, set: { quantity: 0 } }, {}, NOW)).toBe('quantity-under-limit');
    expect(judge(state, { kind: 'update', lineId: 2, set: { quantity: 0 } }, {}, NOW)).toBeUndefined();
  });

  it('refuses an update that would give a line the merge key of another', () => {
    const state = cart([line(1, { productId: 'p', unitPrice: 100 }), line(2, { productId: 'p', unitPrice: 200 })]);
    expect(judge(state, { kind: 'update', lineId: 2, set: { unitPrice: 100 } }, {}, NOW)).toBe('line-clash');
    expect(judge(state, { kind: 'update', lineId: 2, set: { unitPrice: 300 } }, {}, NOW)).toBeUndefined();
    expect(judge(state, { kind: 'update', lineId: 2, set: { metadata: '{"a":1}' } }, {}, NOW)).toBeUndefined();
  });

  it('finds nothing to do in emptying an empty cart', () => {
    expect(judge(cart([]), { kind: 'clear' }, {}, NOW)).toBe('unchanged');
    expect(judge(cart([line(1)]), { kind: 'clear' }, {}, NOW)).toBeUndefined();
  });
});

describe('linesFromItems', () => {
  const item = (over: Partial<NewLine> = {}): NewLine => ({
    productId: 'p',
    name: 'P',
    unitPrice: 100,
    quantity: 1,
    metadata: '{}',
    priceSource: 'custom',
    ...over,
  });

  it('merges the same product, price and metadata, and keeps other prices and metadata apart', () => {
    const result = linesFromItems([
      item({ quantity: 2 }),
      item({ quantity: 3 }),
      item({ unitPrice: 200 }),
      item({ metadata: '{"c":"red"}' }),
    ]);
    expect(result).toEqual({
      ok: true,
      lines: [item({ quantity: 5 }), item({ unitPrice: 200 }), item({ metadata: '{"c":"red"}' })],
    });
  });

  it('takes a merged quantity of exactly the limit, and refuses one more, naming the item', () => {
    expect(linesFromItems([item({ quantity: 4000 }), item({ quantity: 6000 })]).ok).toBe(true);
    expect(linesFromItems([item({ quantity: 4000 }), item({ quantity: 6001 })])).toMatchObject({
      ok: false,
      refusal: 'quantity-over-limit',
      index: 1,
    });
  });

  it('refuses a 251st distinct line', () => {
    const items = Array.from({ length: 251 }, (_, i) => item({ productId: `p-${i}` }));
    expect(linesFromItems(items.slice(0, 250)).ok).toBe(true);
    expect(linesFromItems(items)).toMatchObject({ ok: false, refusal: 'cart-full', index: 250 });
  });
});
