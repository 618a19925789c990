/* The changes a cart undergoes, and what makes two lines one (the merge key). */

/**
 * A new line. `productId` null is a line of the classic surface: it never
 * merges. `metadata` is canonical JSON (see canonicalMetadata). A line priced
 * from the catalog (`priceSource: 'catalog'`) takes its name and unit price
 * from the product in the same step that adds it.
 *
 * `Term`: what may stand in for a value. None in memory; the data layer
 * builds each statement once from a symbolic line, whose values are the
 * statement's slots and whose catalog name and price are what the step reads.
 */
export interface NewLine<Term = never> {
  productId: string | null | Term;
  name: string | Term;
  unitPrice: number | Term;
  quantity: number | Term;
  metadata: string | Term;
  priceSource: PriceSource;
}

/** Where a line's price comes from (API.md §4): the catalog, or a caller trusted to set it. */
export type PriceSource = 'catalog' | 'custom';

export interface LineUpdate<Term = never> {
  quantity?: number | Term | undefined;
  unitPrice?: number | Term | undefined;
  name?: string | Term | undefined;
  metadata?: string | Term | undefined;
}

/** The changes a cart's lines can undergo, from either surface (`Term`: see NewLine). */
export type LineChange<Term = never> =
  | { kind: 'add'; line: NewLine<Term> }
  | { kind: 'update'; lineId: number | Term; set: LineUpdate<Term> }
  | { kind: 'remove'; lineId: number | Term }
  | { kind: 'clear' };

/**
 * The lines that merge: the same product, unit price, metadata and price
 * source (a custom price never merges into a catalog line, whose price
 * checkout compares again, nor the reverse). A line with no product (the
 * classic surface's) merges with nothing. The data layer's unique index and
 * its SQL matching are built from this list.
 */
export const MERGE_KEY = ['productId', 'unitPrice', 'metadata', 'priceSource'] as const;

export type MergeKeyed = Pick<NewLine, (typeof MERGE_KEY)[number]>;

export const sameMergeKey = (a: MergeKeyed, b: MergeKeyed) =>
  a.productId !== null && MERGE_KEY.every((column) => a[column] === b[column]);

/**
 * Request preconditions (RFC 9110 §13.1): the versions `If-Match` allows, the
 * versions `If-None-Match` refuses, `'any'` for `*`; undefined when absent.
 */
export interface Preconditions {
  ifMatch?: readonly number[] | 'any' | undefined;
  ifNoneMatch?: readonly number[] | 'any' | undefined;
}
