import { MAX_UNIT_PRICE } from '../lib/money.js';

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
} as const;

export type Metadata = Record<string, string | number | boolean>;

/**
 * Metadata as stored: JSON with its keys sorted, so two equal objects are the
 * same text and the merge key (product, price, metadata) compares in SQL.
 */
export function canonicalMetadata(metadata: Metadata | undefined): string {
  if (metadata === undefined) return '{}';
  const sorted: Metadata = {};
  for (const key of Object.keys(metadata).sort()) sorted[key] = metadata[key] as string | number | boolean;
  return JSON.stringify(sorted);
}

/** A cart id: `crt_` and 22 base64url characters carrying 128 bits from the platform CSPRNG. */
export function newCartId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `crt_${base64.slice(0, 22).replaceAll('+', '-').replaceAll('/', '_')}`;
}

export const CART_ID_PATTERN = /^crt_[A-Za-z0-9_-]{22}$/;

/** The largest amount any total may reach; a change that would pass it is refused. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

const DAY_MS = 86_400_000;
export const expiryFrom = (now: number, ttlDays: number) => now + ttlDays * DAY_MS;
