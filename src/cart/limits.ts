/** The largest unit price the service stores, in minor units (API.md §2). */
export const MAX_UNIT_PRICE = 1_000_000_000_000;

/** The largest amount any total may reach; a change that would pass it is refused. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Limits of API.md §2, for both surfaces; defaults that a deployment could change in one place. */
export const LIMITS = {
  linesPerCart: 250,
  quantityMax: 10_000,
  nameMax: 200,
  unitPriceMax: MAX_UNIT_PRICE,
  metadataKeys: 20,
  metadataBytes: 2048,
  adminPageMax: 200,
  adminPageDefault: 50,
  /** Entity tags in one If-Match / If-None-Match list (API.md §2: more is 400). */
  conditionTags: 32,
  /** Discount codes one cart holds (API.md §7). */
  codesPerCart: 5,
  /** The most units of a product on hand (README, Stock); an adjustment past it is refused as one below 0 is. */
  onHandMax: 1_000_000_000,
} as const;
