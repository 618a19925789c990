import { iso31661, iso31662 } from 'iso-3166';

/*
 * Who buys and where it goes (API.md §10): a cart's e-mail, note, attributes
 * and addresses, changed by a JSON Merge Patch (RFC 7396). What each value
 * may be is checked as the request is read; what the patched whole must be
 * (an address keeps its required fields, its region is of its country, at
 * most 20 attributes) depends on the cart, so it is stated here once, and
 * the data layer renders the same lists as the guard of the change.
 */

/** An address's fields, in the order the cart shows them. */
export const ADDRESS_FIELDS = [
  'name',
  'company',
  'line1',
  'line2',
  'city',
  'region',
  'postal_code',
  'country',
  'phone',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
/** The fields an address cannot be without. */
export const REQUIRED_ADDRESS_FIELDS = ['line1', 'city', 'country'] as const satisfies readonly AddressField[];
export const ADDRESSES = ['shipping_address', 'billing_address'] as const;
export type AddressName = (typeof ADDRESSES)[number];

export const DETAILS_LIMITS = {
  emailMax: 254,
  noteMax: 1000,
  attributes: 20,
  attributeValueMax: 500,
  addressFieldMax: 200,
} as const;

/** An address as stored: the fields set (a field removed by a patch is absent). */
export type Address = Partial<Record<AddressField, string>>;

/** A cart's details as stored. */
export interface CartDetails {
  email: string | null;
  note: string | null;
  attributes: Record<string, string>;
  shipping_address: Address | null;
  billing_address: Address | null;
}

/** A merge patch of the details (RFC 7396): a member left out stays, `null` removes. */
export interface DetailsPatch {
  email?: string | null | undefined;
  note?: string | null | undefined;
  attributes?: Record<string, string | null> | null | undefined;
  shipping_address?: Partial<Record<AddressField, string | null | undefined>> | null | undefined;
  billing_address?: Partial<Record<AddressField, string | null | undefined>> | null | undefined;
}

const COUNTRIES = new Set(iso31661.map((country) => country.alpha2));
const REGIONS = new Set(iso31662.map((region) => region.code));

/** Whether `code` (upper case) is an ISO 3166-1 alpha-2 country code. */
export const isCountry = (code: string) => COUNTRIES.has(code);
/** Whether `code` (upper case) is an ISO 3166-2 subdivision code. */
export const isRegion = (code: string) => REGIONS.has(code);
/** Whether the subdivision `region` is one of `country`'s: ISO 3166-2 codes start with their country's code. */
export const regionOf = (region: string, country: string) => region.startsWith(`${country}-`);

/**
 * RFC 7396 MergePatch: an object patch merges member by member (`null`
 * removes one), anything else replaces the target.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * What is wrong with the details a patch leaves, each with its path: an
 * address without a required field or with a region of another country,
 * too many attributes. Empty: the details may be stored.
 */
export function detailsProblems(details: CartDetails): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const name of ADDRESSES) {
    const address = details[name];
    if (address === null) continue;
    for (const field of REQUIRED_ADDRESS_FIELDS)
      if (address[field] === undefined) problems.push({ path: `${name}.${field}`, message: 'Required' });
    const { region, country } = address;
    if (region !== undefined && country !== undefined && !regionOf(region, country))
      problems.push({ path: `${name}.region`, message: `Must be a subdivision of ${country}` });
  }
  if (Object.keys(details.attributes).length > DETAILS_LIMITS.attributes)
    problems.push({ path: 'attributes', message: `At most ${DETAILS_LIMITS.attributes} keys` });
  return problems;
}

/** The details a patch leaves on a cart whose details are `current`. */
export function patchedDetails(current: CartDetails, patch: DetailsPatch): CartDetails {
  const merged = mergePatch(current, patch) as Partial<CartDetails>;
  // A member removed is unset: no e-mail, note or address, no attributes.
  return {
    email: merged.email ?? null,
    note: merged.note ?? null,
    attributes: merged.attributes ?? {},
    shipping_address: merged.shipping_address ?? null,
    billing_address: merged.billing_address ?? null,
  };
}
