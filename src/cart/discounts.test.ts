import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type DiscountCode, splitByLargestRemainder } from './discounts.js';

const pct = (code: string, bp: number, applicable = true): DiscountCode => ({
  code,
  kind: 'percentage',
  percentOffBp: bp,
  applicable,
});
const off = (code: string, amount: number, applicable = true): DiscountCode => ({
  code,
  kind: 'fixed',
  amountOff: amount,
  applicable,
});
const sharesOf = (result: ReturnType<typeof allocate>) =>
  Object.fromEntries([...result.lines].map(([id, list]) => [id, list.map((a) => a.amount)]));

describe('discount arithmetic, worked by hand', () => {
  it('splits a three-way tie by giving the odd unit to the lowest line id', () => {
    // 100 over 100/100/100: 33.33… each; 99 by floor, the remaining 1 to line 1.
    const result = allocate(
      [
        { id: 7, total: 100 },
        { id: 3, total: 100 },
        { id: 5, total: 100 },
      ],
      [off('TIE', 100)],
    );
    expect(sharesOf(result)).toEqual({ 3: [34], 5: [33], 7: [33] });
    expect(result).toMatchObject({ subtotal: 300, discountTotal: 100, total: 200 });
  });

  it('applies codes in attachment order to what is left, in yen (no decimals)', () => {
    // Lines 1 500 and 2 400 yen. SAVE500: 500 × 1500/3900 = 192.31, × 2400/3900 = 307.69 → 192 + 307 = 499;
    // the missing yen goes to the larger remainder (line 2): 192 / 308. Left 1308 + 2092 = 3400.
    // TEN: floor(3400 × 10%) = 340; 130.8 / 209.2 → 130 + 209 = 339, the missing yen to line 1: 131 / 209.
    const result = allocate(
      [
        { id: 1, total: 1500 },
        { id: 2, total: 2400 },
      ],
      [off('SAVE500', 500), pct('TEN', 1000)],
    );
    expect(result.codes).toEqual([
      { code: 'SAVE500', amount: 500 },
      { code: 'TEN', amount: 340 },
    ]);
    expect(sharesOf(result)).toEqual({ 1: [192, 131], 2: [308, 209] });
    expect(result).toMatchObject({ subtotal: 3900, discountTotal: 840, total: 3060 });
  });

  it('halves a dinar cart to the fils (three decimals), the tied half-fils to the lower line', () => {
    // 12.345 + 0.001 KWD = 12346 fils; half = 6173. Shares 6172.5 and 0.5: both remainders equal, line 1 gets it.
    const result = allocate(
      [
        { id: 1, total: 12_345 },
        { id: 2, total: 1 },
      ],
      [pct('HALF', 5000)],
    );
    expect(sharesOf(result)).toEqual({ 1: [6173], 2: [] });
    expect(result).toMatchObject({ discountTotal: 6173, total: 6173 });
  });

  it('never takes more than is left: a fixed code larger than the cart takes the cart, the next takes nothing', () => {
    const result = allocate(
      [
        { id: 1, total: 250 },
        { id: 2, total: 750 },
      ],
      [off('BIG', 5000), pct('TEN', 1000)],
    );
    expect(result.codes).toEqual([
      { code: 'BIG', amount: 1000 },
      { code: 'TEN', amount: 0 },
    ]);
    expect(sharesOf(result)).toEqual({ 1: [250], 2: [750] });
    expect(result.total).toBe(0);
  });

  it('gives an inapplicable code 0 and leaves the rest to the codes after it', () => {
    const result = allocate([{ id: 1, total: 1000 }], [pct('OFF', 5000, false), pct('TEN', 1000)]);
    expect(result.codes).toEqual([
      { code: 'OFF', amount: 0 },
      { code: 'TEN', amount: 100 },
    ]);
  });

  it('keeps exact integers where a float would not: 10% of an amount near 2^53', () => {
    const result = allocate([{ id: 1, total: Number.MAX_SAFE_INTEGER }], [pct('TEN', 1000)]);
    expect(result.codes[0]?.amount).toBe(900_719_925_474_099);
  });

  it('splits by largest remainder (unit check)', () => {
    expect(splitByLargestRemainder(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(splitByLargestRemainder(0n, [5n, 5n])).toEqual([0n, 0n]);
    expect(splitByLargestRemainder(3n, [0n, 0n])).toEqual([0n, 0n]);
  });
});

describe('discount arithmetic, for any cart and codes (fast-check)', () => {
  const line = fc.record({
    price: fc.integer({ min: 0, max: 1_000_000_000 }),
    quantity: fc.integer({ min: 1, max: 10_000 }),
  });
  const code = fc.oneof(
    fc.record({
      kind: fc.constant('percentage' as const),
      bp: fc.integer({ min: 1, max: 10_000 }),
      applicable: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('fixed' as const),
      amount: fc.integer({ min: 0, max: 2_000_000_000_000 }),
      applicable: fc.boolean(),
    }),
  );

  it('allocates non-negative integers that sum to each code’s amount, never past what was left, total = subtotal − discounts ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 250 }),
        fc.array(code, { maxLength: 5 }),
        (raw, rawCodes) => {
          const lines = raw.map((l, i) => ({ id: i * 3 + 1, total: l.price * l.quantity }));
          fc.pre(lines.reduce((sum, l) => sum + l.total, 0) <= Number.MAX_SAFE_INTEGER);
          const codes: DiscountCode[] = rawCodes.map((c, i) =>
            c.kind === 'percentage' ? pct(`P${i}`, c.bp, c.applicable) : off(`F${i}`, c.amount, c.applicable),
          );
          const result = allocate(lines, codes);
          const left = new Map(lines.map((l) => [l.id, BigInt(l.total)]));
          codes.forEach((c, k) => {
            const rest = [...left.values()].reduce((sum, v) => sum + v, 0n);
            const expected = !c.applicable
              ? 0n
              : c.kind === 'fixed'
                ? BigInt(c.amountOff) < rest
                  ? BigInt(c.amountOff)
                  : rest
                : (rest * BigInt(c.percentOffBp)) / 10_000n;
            expect(BigInt(result.codes[k]?.amount ?? -1)).toBe(expected);
            let sum = 0n;
            for (const [id, list] of result.lines) {
              const share = list.find((a) => a.code === c.code)?.amount ?? 0;
              expect(Number.isInteger(share) && share >= 0).toBe(true);
              const before = left.get(id) ?? 0n;
              expect(BigInt(share) <= before).toBe(true);
              left.set(id, before - BigInt(share));
              sum += BigInt(share);
            }
            expect(sum).toBe(expected);
          });
          expect(result.total).toBe(result.subtotal - result.discountTotal);
          expect(result.total).toBeGreaterThanOrEqual(0);
          expect(result.discountTotal).toBe(codes.reduce((sum, _c, k) => sum + (result.codes[k]?.amount ?? 0), 0));
        },
      ),
      { seed: 20261128, numRuns: 300 },
    );
  });
});

describe('discount arithmetic, the same on every runtime', () => {
  // The same generated carts and codes (fixed seed) on Node and inside workerd: every answer is
  // folded into one digest, and both runtimes must reach the digest recorded here.
  const cases = fc.sample(
    fc.record({
      totals: fc.array(fc.integer({ min: 0, max: 4_000_000_000 }), { minLength: 1, maxLength: 250 }),
      codes: fc.array(
        fc.oneof(
          fc.record({ bp: fc.integer({ min: 1, max: 10_000 }), applicable: fc.boolean() }),
          fc.record({ amount: fc.integer({ min: 0, max: 100_000_000_000 }), applicable: fc.boolean() }),
        ),
        { maxLength: 5 },
      ),
    }),
    { seed: 4242, numRuns: 200 },
  );

  it('gives identical allocations for 200 generated carts (digest recorded)', async () => {
    const answers = cases.map(({ totals, codes }) => {
      const result = allocate(
        totals.map((total, i) => ({ id: 2 * i + 1, total })),
        codes.map((c, i) => ('bp' in c ? pct(`P${i}`, c.bp, c.applicable) : off(`F${i}`, c.amount, c.applicable))),
      );
      return [result.codes, [...result.lines], result.subtotal, result.discountTotal, result.total];
    });
    const bytes = new TextEncoder().encode(JSON.stringify(answers));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('620b3f233218ebeeaf93909eb1f1ef1e781784ecd8adc80674b83064639d6bb9');
  });
});
