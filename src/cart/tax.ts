/*
 * Tax (API.md §11), worked out exactly in integers: which rates a line
 * takes, and what each takes of the line's base. No float is ever on this
 * path: amounts are bigint until they are shown, and every rate is applied
 * to the same base and rounded on its own (half to even), so the lines add
 * up to the tax total to the cent.
 */

/** A tax rate as the rules read it. */
export interface TaxRate {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** ISO 3166-2 subdivision of `country`; null: the whole country. */
  region: string | null;
  category: string;
  /** 0–10,000 basis points. */
  rateBp: number;
}

/** One rate's tax on one line (or on the shipping), as a cart and an order show it. */
export interface TaxLine {
  /** The tax rate (`TAX=rates`); null for a tax a tax service set. */
  rate_id: string | null;
  name: string;
  rate_bp: number;
  amount: number;
}

/** Where the goods go, for tax: the shipping address's country and region, else the billing address's. */
export interface TaxPlace {
  country: string;
  region: string | null;
}

/** The category of a line that names none (client-priced and classic lines, API.md §11). */
export const STANDARD_CATEGORY = 'standard';

/** The basis points of a whole (100%). */
const WHOLE = 10_000n;

/** `n / d` rounded to the nearest integer, ties to the even one (`d` > 0). */
export function roundHalfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const m = negative ? -n : n;
  const q = m / d;
  const twice = (m % d) * 2n;
  const rounded = twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** The rates that apply at `place` to a line of `category`: its country's, of a null or the same region; by id. */
export const ratesFor = (rates: readonly TaxRate[], place: TaxPlace, category: string): TaxRate[] =>
  rates
    .filter(
      (rate) =>
        rate.country === place.country &&
        rate.category === category &&
        (rate.region === null || rate.region === place.region),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * Each rate's tax on `base`, every rate on the same base: with prices
 * excluding tax round(b × bp / 10,000); with prices including it the tax
 * held in the price, round(b × bp / (10,000 + s)), `s` the rates' sum.
 */
export function taxesOn(base: bigint, rates: readonly TaxRate[], inclusive: boolean): TaxLine[] {
  const stacked = rates.reduce((sum, rate) => sum + BigInt(rate.rateBp), 0n);
  const divisor = inclusive ? WHOLE + stacked : WHOLE;
  return rates.map((rate) => ({
    rate_id: rate.id,
    name: rate.name,
    rate_bp: rate.rateBp,
    amount: Number(roundHalfEven(base * BigInt(rate.rateBp), divisor)),
  }));
}

/** What the tax of a cart is worked out from: each line's taxable base and category, the shipping's. */
export interface TaxInput {
  /** Each line: its id, its total less its discount allocations, its category. */
  lines: ReadonlyArray<{ id: number; base: bigint; category: string }>;
  /** The shipping total and the category of the rate it is charged by; null: no delivery charged. */
  shipping: { base: bigint; category: string } | null;
  rates: readonly TaxRate[];
  place: TaxPlace;
  inclusive: boolean;
}

/** A cart's tax: each line's tax lines, the shipping's, and their sum. */
export interface CartTax {
  lines: Map<number, TaxLine[]>;
  shipping: TaxLine[];
  total: bigint;
}

/** The tax of a cart (API.md §11), per rate per line. */
export function cartTax(input: TaxInput): CartTax {
  // The rates of each category, chosen once for the cart.
  const chosen = new Map<string, TaxRate[]>();
  const on = (base: bigint, category: string) => {
    let rates = chosen.get(category);
    if (rates === undefined) {
      rates = ratesFor(input.rates, input.place, category);
      chosen.set(category, rates);
    }
    return taxesOn(base, rates, input.inclusive);
  };
  let total = 0n;
  const add = (taxLines: TaxLine[]) => {
    for (const line of taxLines) total += BigInt(line.amount);
    return taxLines;
  };
  const lines = new Map(input.lines.map((line) => [line.id, add(on(line.base, line.category))]));
  const shipping = input.shipping === null ? [] : add(on(input.shipping.base, input.shipping.category));
  return { lines, shipping, total };
}

/** How a deployment taxes (the `TAX` and `PRICES_INCLUDE_TAX` settings). */
export interface TaxSetting {
  mode: 'none' | 'rates' | 'external';
  /** Prices include tax: the tax is extracted from them, not added to the total. */
  inclusive: boolean;
}

/** A cart's `tax_status` (API.md §11). */
export type TaxStatus = 'not_applicable' | 'ready' | 'pending' | 'stale';

/** The setting of a deployment without tax (the default). */
export const NO_TAX: TaxSetting = { mode: 'none', inclusive: false };

/** The tax setting of a configuration (its `TAX` and `PRICES_INCLUDE_TAX`): without tax, no price includes any. */
export const taxSettingOf = (config: { TAX: TaxSetting['mode']; PRICES_INCLUDE_TAX: boolean }): TaxSetting => ({
  mode: config.TAX,
  inclusive: config.TAX !== 'none' && config.PRICES_INCLUDE_TAX,
});
