import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartTax, ratesFor, roundHalfEven, type TaxRate, taxesOn, taxSettingOf } from './tax.js';

const rate = (id: string, rateBp: number, more: Partial<TaxRate> = {}): TaxRate => ({
  id,
  name: id.toUpperCase(),
  country: 'DE',
  region: null,
  category: 'standard',
  rateBp,
  ...more,
});
const amounts = (lines: Array<{ amount: number }>) => lines.map((line) => line.amount);

/**
 * The reference (written apart from the code under test): n / d rounded half
 * up is floor((2n + d) / 2d); an exact tie (2n + d a multiple of 2d) that
 * came out odd goes one down to the even neighbour.
 */
function referenceRound(n: bigint, d: bigint): bigint {
  const up = (2n * n + d) / (2n * d);
  const tie = (2n * n + d) % (2n * d) === 0n;
  return tie && up % 2n !== 0n ? up - 1n : up;
}

describe('tax arithmetic, worked by hand (API.md §11)', () => {
  it('extracts VAT from a gross price, never adds it: 1,190 at 19% holds 190', () => {
    expect(amounts(taxesOn(1190n, [rate('de-vat', 1900)], true))).toEqual([190]);
  });

  it('adds sales tax to a net price: 1,000 at 8.25% is 82.5, a tie, to the even 82', () => {
    expect(amounts(taxesOn(1000n, [rate('tx', 825)], false))).toEqual([82]);
    // 1,400 at 8.25% is 115.5: the tie goes up, to the even 116.
    expect(amounts(taxesOn(1400n, [rate('tx', 825)], false))).toEqual([116]);
  });

  it('stacks GST and QST each on the same base (Canada): 1,000 net at 5% and 9.98% (9.975% is no whole basis point)', () => {
    // 50 and 99.8 → 100.
    const taxLines = taxesOn(1000n, [rate('ca-gst', 500), rate('ca-qc-qst', 998)], false);
    expect(amounts(taxLines)).toEqual([50, 100]);
    expect(taxLines[1]).toEqual({ rate_id: 'ca-qc-qst', name: 'CA-QC-QST', rate_bp: 998, amount: 100 });
  });

  it('extracts stacked taxes with the sum of the line’s rates, not each rate alone', () => {
    // 1,150 gross at 5% + 10% (15% in all): 1,000 net, 50 and 100. One rate alone would give 54.76 and 104.55.
    expect(amounts(taxesOn(1150n, [rate('a', 500), rate('b', 1000)], true))).toEqual([50, 100]);
  });

  it('rounds ties to even both ways, and below and above a tie to the nearest', () => {
    // n / 10,000 with n = b × bp: 2.5 → 2, 3.5 → 4, 2.5001 → 3, 2.4999 → 2.
    expect(roundHalfEven(25_000n, 10_000n)).toBe(2n);
    expect(roundHalfEven(35_000n, 10_000n)).toBe(4n);
    expect(roundHalfEven(25_001n, 10_000n)).toBe(3n);
    expect(roundHalfEven(24_999n, 10_000n)).toBe(2n);
    expect(roundHalfEven(-25_000n, 10_000n)).toBe(-2n);
    expect(roundHalfEven(-35_000n, 10_000n)).toBe(-4n);
    expect(roundHalfEven(0n, 10_000n)).toBe(0n);
  });

  it('is exact near Number.MAX_SAFE_INTEGER, where a float would lose the cents', () => {
    const base = BigInt(Number.MAX_SAFE_INTEGER); // 9,007,199,254,740,991
    // × 19% = 1,711,367,858,400,788.29 → …788; included at 19%: × 1900 / 11900 = 1,438,124,250,756,964.95 → …965.
    expect(amounts(taxesOn(base, [rate('de-vat', 1900)], false))).toEqual([1_711_367_858_400_788]);
    expect(amounts(taxesOn(base, [rate('de-vat', 1900)], true))).toEqual([1_438_124_250_756_965]);
    expect(amounts(taxesOn(base, [rate('all', 10_000)], false))).toEqual([Number.MAX_SAFE_INTEGER]);
  });

  it('takes the rates of the place’s country and the line’s category, of no region or the place’s own, by id', () => {
    const rates = [
      rate('z-qst', 998, { country: 'CA', region: 'CA-QC' }),
      rate('gst', 500, { country: 'CA' }),
      rate('on-hst', 800, { country: 'CA', region: 'CA-ON' }),
      rate('books', 0, { country: 'CA', category: 'books' }),
      rate('de-vat', 1900),
    ];
    const ids = (list: TaxRate[]) => list.map((r) => r.id);
    expect(ids(ratesFor(rates, { country: 'CA', region: 'CA-QC' }, 'standard'))).toEqual(['gst', 'z-qst']);
    expect(ids(ratesFor(rates, { country: 'CA', region: null }, 'standard'))).toEqual(['gst']);
    expect(ids(ratesFor(rates, { country: 'CA', region: 'CA-BC' }, 'books'))).toEqual(['books']);
    expect(ids(ratesFor(rates, { country: 'US', region: 'US-TX' }, 'standard'))).toEqual([]);
  });

  it('taxes each line on its own base and the shipping on the shipping total, and sums them', () => {
    const tax = cartTax({
      lines: [
        { id: 2, base: 1190n, category: 'standard' },
        { id: 5, base: 1070n, category: 'reduced' },
      ],
      shipping: { base: 595n, category: 'standard' },
      rates: [rate('de-vat', 1900), rate('de-reduced', 700, { category: 'reduced' })],
      place: { country: 'DE', region: 'DE-BE' },
      inclusive: true,
    });
    expect(amounts(tax.lines.get(2) ?? [])).toEqual([190]);
    expect(amounts(tax.lines.get(5) ?? [])).toEqual([70]);
    expect(amounts(tax.shipping)).toEqual([95]);
    expect(tax.total).toBe(355n);
  });

  it('without a delivery charged, the shipping takes no tax line', () => {
    const tax = cartTax({
      lines: [{ id: 1, base: 1000n, category: 'standard' }],
      shipping: null,
      rates: [rate('de-vat', 1900)],
      place: { country: 'DE', region: null },
      inclusive: false,
    });
    expect(tax.shipping).toEqual([]);
    expect(tax.total).toBe(190n);
  });
});

describe('the tax setting', () => {
  it('includes tax in prices only where there is tax: TAX=none shows prices_include_tax false whatever is set', () => {
    expect(taxSettingOf({ TAX: 'none', PRICES_INCLUDE_TAX: true })).toEqual({ mode: 'none', inclusive: false });
    expect(taxSettingOf({ TAX: 'rates', PRICES_INCLUDE_TAX: true })).toEqual({ mode: 'rates', inclusive: true });
    expect(taxSettingOf({ TAX: 'external', PRICES_INCLUDE_TAX: false })).toEqual({
      mode: 'external',
      inclusive: false,
    });
  });
});

describe('tax arithmetic against a BigInt reference', () => {
  it('rounds every quotient as the reference does, ties included', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: 1n, max: 2n ** 20n }), (n, d) => {
        expect(roundHalfEven(n < 0n ? -n : n, d)).toBe(referenceRound(n < 0n ? -n : n, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('hits exact ties of both parities (bases whose tax ends in .5)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 40n }), (half) => {
        // base × 5,000 / 10,000 = base / 2: an odd base is a tie.
        const base = 2n * half + 1n;
        const [tax] = taxesOn(base, [rate('half', 5000)], false);
        expect(BigInt(tax?.amount ?? -1)).toBe(half % 2n === 0n ? half : half + 1n);
      }),
    );
  });

  it('works a line’s stacked rates out per rate, each on the whole base, in both price modes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (base, bps, inclusive) => {
          const rates = bps.map((bp, i) => rate(`r${i}`, bp));
          const sum = bps.reduce((s, bp) => s + BigInt(bp), 0n);
          const expected = bps.map((bp) =>
            referenceRound(base * BigInt(bp), inclusive ? 10_000n + sum : 10_000n).toString(),
          );
          expect(taxesOn(base, rates, inclusive).map((line) => BigInt(line.amount).toString())).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('tax arithmetic, the same on every runtime', () => {
  // The same generated carts and rates (fixed seed) on Node and inside workerd: every answer is
  // folded into one digest, and both runtimes must reach the digest recorded here.
  const cases = fc.sample(
    fc.record({
      bases: fc.array(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), { minLength: 1, maxLength: 20 }),
      shipping: fc.option(fc.bigInt({ min: 0n, max: 10n ** 9n }), { nil: null }),
      rates: fc.array(
        fc.record({
          bp: fc.integer({ min: 0, max: 10_000 }),
          region: fc.constantFrom(null, 'CA-QC', 'CA-ON'),
          category: fc.constantFrom('standard', 'reduced'),
        }),
        { maxLength: 5 },
      ),
      region: fc.constantFrom(null, 'CA-QC', 'CA-ON'),
      inclusive: fc.boolean(),
    }),
    { seed: 4343, numRuns: 200 },
  );

  it('gives identical tax lines for 200 generated carts (digest recorded)', async () => {
    const answers = cases.map(({ bases, shipping, rates, region, inclusive }) => {
      const tax = cartTax({
        lines: bases.map((base, i) => ({ id: i + 1, base, category: i % 2 === 0 ? 'standard' : 'reduced' })),
        shipping: shipping === null ? null : { base: shipping, category: 'standard' },
        rates: rates.map((r, i) => rate(`r${i}`, r.bp, { country: 'CA', region: r.region, category: r.category })),
        place: { country: 'CA', region },
        inclusive,
      });
      return [[...tax.lines], tax.shipping, tax.total.toString()];
    });
    const bytes = new TextEncoder().encode(JSON.stringify(answers));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('25fa881e495bb3da1d2bb454f79359a9d4cb598f00f8f4e7521cce3c6aa3294a');
  });
});
