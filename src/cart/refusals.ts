import type { Facts } from './algebra.js';
import type { LineChange } from './changes.js';
import { LIMITS, MAX_AMOUNT } from './limits.js';

/* Why a change was not made: the refusals, by group, and their words. */

/** Why a code cannot be attached, or does not apply (API.md §7 `discount-invalid`, `applicable: false`). */
export type CodeRefusal =
  | 'code-unknown'
  | 'code-inactive'
  | 'code-not-started'
  | 'code-ended'
  | 'code-exhausted'
  | 'code-currency';
export type AttachRefusal = CartRefusal | CodeRefusal | 'codes-full' | 'code-attached';
export type DetachRefusal = CartRefusal | 'code-not-attached';

/** Why a change was not made, by the group of rules that refuses it. */
export type CartRefusal = 'cart-not-found' | 'cart-closed' | 'precondition-failed';
export type AddRefusal =
  | 'product-unavailable'
  | 'price-unavailable'
  | 'quantity-over-limit'
  | 'quantity-under-limit'
  | 'cart-full'
  | 'subtotal-over-limit'
  | 'insufficient-stock';
export type UpdateRefusal =
  | 'line-not-found'
  | 'quantity-over-limit'
  | 'quantity-under-limit'
  | 'subtotal-over-limit'
  | 'line-clash'
  | 'insufficient-stock';
export type RemoveRefusal = 'line-not-found';
/** Not an error: emptying an empty cart has nothing to do. */
export type ClearRefusal = 'unchanged';
export type DeleteRefusal = CartRefusal | 'cart-permanent';
/** `cart-changed`: the cart or its codes moved since the order's discounts were worked out (checkout works them out again). */
export type CheckoutRefusal =
  | CartRefusal
  | 'cart-empty'
  | 'prices-untrusted'
  | 'cart-changed'
  | 'discount-unavailable'
  | 'delivery-required'
  | 'delivery-not-applicable'
  | 'tax-pending'
  | 'tax-stale'
  | 'tax-over-limit'
  | 'total-changed'
  | 'insufficient-stock'
  | 'prices-changed';

/**
 * Why a shipping rate does not deliver a cart (API.md §10): not an option,
 * a selection that does not apply (`reason`, without the `delivery-` prefix).
 */
export type DeliveryRefusal =
  | 'delivery-unknown'
  | 'delivery-inactive'
  | 'delivery-no-address'
  | 'delivery-country'
  | 'delivery-currency'
  | 'delivery-minimum'
  | 'delivery-maximum'
  | 'delivery-over-limit';
/** Selecting a delivery: `delivery-unavailable`, the rate named is not among the cart's options now. */
export type SelectRefusal = CartRefusal | 'delivery-unavailable';

/**
 * Setting a tax a tax service worked out (API.md §11): `tax-lines-mismatch`,
 * the lines named are not the cart's lines, each once; `tax-over-limit`,
 * the total with the tax would pass 2^53 − 1.
 */
export type TaxSetRefusal = CartRefusal | 'tax-lines-mismatch' | 'tax-over-limit';

/** `details-invalid`: the details a patch would leave are not valid as a whole (API.md §10). */
export type DetailsRefusal = CartRefusal | 'details-invalid';

/** The refusals a change of this kind can meet. */
export type RefusalOf<C extends LineChange> =
  | CartRefusal
  | (C extends { kind: 'add' }
      ? AddRefusal
      : C extends { kind: 'update' }
        ? UpdateRefusal
        : C extends { kind: 'remove' }
          ? RemoveRefusal
          : ClearRefusal);

/** Why a customer's sign-in merge (API.md §8) was not made. */
export type MergeRefusal =
  | 'cart-not-found'
  | 'cart-closed'
  | 'cart-permanent'
  | 'already-merged'
  | 'currency-differs'
  | 'merge-conflict';

/** The words of a merge refusal: about the anonymous cart the customer named. */
export const MERGE_REASONS: Record<MergeRefusal, string> = {
  'cart-not-found': 'No such cart (it may have expired).',
  'cart-closed': 'The anonymous cart has been checked out.',
  'cart-permanent': 'The default cart cannot be merged into a customer’s cart.',
  'already-merged': 'The cart is already the customer’s: there is nothing to merge.',
  'currency-differs': 'The anonymous cart is in another currency than the customer’s open cart; nothing was merged.',
  'merge-conflict': 'The carts kept changing during the merge; try again.',
};

export type Refusal =
  | MergeRefusal
  | RefusalOf<LineChange>
  | DeleteRefusal
  | CheckoutRefusal
  | AttachRefusal
  | DetachRefusal
  | DetailsRefusal
  | SelectRefusal
  | TaxSetRefusal
  | DeliveryRefusal
  | 'code-minimum';

export interface Check<B, R extends Refusal = Refusal> {
  refusal: R;
  holds: B;
}

/** The input field a refusal is about, for surfaces that name one. */
export const REFUSAL_FIELD: Partial<Record<Refusal, 'quantity' | 'option_id' | 'items'>> = {
  'delivery-unavailable': 'option_id',
  'tax-lines-mismatch': 'items',
  'quantity-over-limit': 'quantity',
  'quantity-under-limit': 'quantity',
  // The quantity asked for (at its price) is what would take the subtotal over.
  'subtotal-over-limit': 'quantity',
};

/** The words for a refusal, from the facts the rules refused on. */
export function explain(
  refusal: Refusal,
  f: Facts<bigint | null, boolean | null> & { repricedSubtotal?: bigint | null; repricedQuantity?: bigint | null },
  change: LineChange,
): string {
  switch (refusal) {
    case 'cart-not-found':
      return 'No cart with that id (it may have expired).';
    case 'cart-closed':
      return 'The cart has been checked out; it takes no more changes.';
    case 'product-unavailable':
    case 'price-unavailable':
      return CATALOG_REASONS[refusal];
    case 'cart-empty':
      return 'An empty cart cannot be checked out.';
    case 'prices-untrusted':
      return 'The cart holds lines priced through the classic surface, which is open while ADMIN_TOKEN is unset: their prices are not the catalog’s, and they cannot be checked out.';
    case 'prices-changed':
      if ((f.repricedQuantity ?? 0n) > BigInt(LIMITS.quantityMax))
        return `Prices changed since these lines were added, but at the catalog’s prices lines of one product would together hold more than ${LIMITS.quantityMax} (they become one line): nothing was repriced. Lower a quantity and check out again.`;
      if ((f.repricedSubtotal ?? 0n) > BigInt(MAX_AMOUNT))
        return `Prices changed since these lines were added, and at the catalog’s prices the cart subtotal would exceed ${MAX_AMOUNT}: nothing was repriced. Lower a quantity and check out again.`;
      return 'Prices changed since these lines were added: each line still on sale now carries the catalog’s price. Check out again with the cart’s current ETag.';
    case 'precondition-failed':
      return `The cart is at ETag "${f.version}"; nothing changed.`;
    case 'line-not-found':
      return 'No line with that id in this cart.';
    case 'quantity-over-limit': {
      if (change.kind === 'add' && f.target.exists) {
        const total = (f.target.quantity ?? 0n) + BigInt(change.line.quantity);
        return `Merged into its line the quantity would be ${total}; at most ${LIMITS.quantityMax}.`;
      }
      return `A line holds at most ${LIMITS.quantityMax}.`;
    }
    case 'quantity-under-limit':
      return 'A line of a product holds at least 1; remove the line instead.';
    case 'cart-full':
      return `The cart already holds ${f.lineCount} lines, the most it may.`;
    case 'subtotal-over-limit':
      return `The cart subtotal would exceed ${MAX_AMOUNT}.`;
    case 'line-clash':
      return 'Another line already has this product, price and metadata.';
    case 'cart-permanent':
      return 'The default cart cannot be deleted; empty it instead.';
    case 'unchanged':
      return 'Nothing to change.';
    case 'details-invalid':
      return 'The cart’s details would not be valid after this patch; nothing changed.';
    case 'cart-changed':
      return 'The cart changed while it was being checked out; try again.';
    case 'total-changed':
      return 'The cart’s total is not the total the buyer was shown (`expected_total`); nothing changed. `total` is the total now.';
    case 'delivery-required':
      return 'The cart holds goods to ship: set a shipping_address and select a delivery (PUT /v1/carts/{cartId}/delivery) first.';
    case 'delivery-not-applicable':
      return 'The selected delivery no longer applies to this cart (see `delivery.reason`); select another.';
    case 'tax-lines-mismatch':
      return 'The tax names lines that are not the cart’s lines: name every line of the cart exactly once (read the cart at the version sent in If-Match).';
    case 'tax-over-limit':
      return `The cart’s total with this tax would exceed ${MAX_AMOUNT}.`;
    case 'tax-pending':
      return 'The cart’s tax is not known yet (`tax_status` is `pending`): set an address to tax by, or have the tax service set it (PUT /v1/carts/{cartId}/tax).';
    case 'insufficient-stock':
      if (f.stock.lapsedShort === true)
        return 'The cart’s reservations have lapsed and it holds more of a product than is left (see `warnings`): lower or remove that line first. Nothing changed.';
      if (change.kind === 'add' || change.kind === 'update')
        return `Not enough of the product is available: this cart may hold ${availableOf(f)} of it (it holds ${f.stock.units}). Nothing changed.`;
      return 'Not enough is on hand for every line: `errors` lists each short line with what is `available`. Nothing changed.';
    case 'tax-stale':
      return 'The tax set on the cart is of an earlier version of it (`tax_status` is `stale`): have the tax service set it again.';
    case 'delivery-unavailable':
      return 'That delivery is not among the cart’s delivery_options now.';
    case 'discount-unavailable':
      return 'A discount code on the cart has been used up; nothing changed. Remove the code and check out again.';
    case 'code-attached':
      return 'The code is already on the cart.';
    case 'code-not-attached':
      return 'The cart holds no such code.';
    case 'codes-full':
      return `A cart holds at most ${LIMITS.codesPerCart} discount codes.`;
    case 'already-merged':
    case 'currency-differs':
    case 'merge-conflict':
      return MERGE_REASONS[refusal];
    case 'code-unknown':
    case 'code-inactive':
    case 'code-not-started':
    case 'code-ended':
    case 'code-exhausted':
    case 'code-currency':
    case 'code-minimum':
      return CODE_REASONS[refusal];
    default:
      return DELIVERY_REASONS[refusal];
  }
}

/** What a cart may hold of the product a change touches (README, Stock): its room, never below 0. */
export const availableOf = (f: Pick<Facts<bigint | null, boolean | null>, 'stock'>) => {
  const room = f.stock.room ?? 0n;
  return room > 0n ? room : 0n;
};

/** Why the catalog does not price a line, in words: they need no facts of a cart (a new cart has none yet). */
export const CATALOG_REASONS: Record<'product-unavailable' | 'price-unavailable', string> = {
  'product-unavailable': 'No such product is on sale.',
  'price-unavailable': 'The product has no price in the cart’s currency.',
};

/** Why a code does not apply, in words (the problem detail of `discount-invalid`, and `reason` on a cart). */
export const CODE_REASONS: Record<CodeRefusal | 'code-minimum', string> = {
  'code-unknown': 'No such discount code.',
  'code-inactive': 'The discount code is not active.',
  'code-not-started': 'The discount code is not valid yet.',
  'code-ended': 'The discount code has ended.',
  'code-exhausted': 'The discount code has been used up.',
  'code-currency': 'The discount code has no amount in the cart’s currency.',
  'code-minimum': 'The cart’s subtotal is under the code’s minimum.',
};

/** Why a rate does not deliver a cart, in words (the detail of `delivery-unavailable`). */
export const DELIVERY_REASONS: Record<DeliveryRefusal, string> = {
  'delivery-unknown': 'No such shipping rate.',
  'delivery-inactive': 'The shipping rate is not active.',
  'delivery-no-address': 'The cart has no shipping address.',
  'delivery-country': 'The shipping rate does not deliver to the shipping address’s country.',
  'delivery-currency': 'The shipping rate has no price in the cart’s currency.',
  'delivery-minimum': 'The cart’s merchandise total is under the shipping rate’s minimum.',
  'delivery-maximum': 'The cart’s merchandise total is over the shipping rate’s maximum.',
  'delivery-over-limit': 'With this delivery the cart’s total would exceed the largest exact amount.',
};
