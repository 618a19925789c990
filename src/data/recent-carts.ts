import type { CartDocument } from './cart-json.js';

/** How many carts a process remembers: enough for the carts being checked out now, bounded in memory. */
const REMEMBERED = 256;

/**
 * The latest document this process read of each of the last few carts that
 * hold discount codes or have tax to work out (an address, a tax set), by
 * id: a checkout's first guess at the cart it works its discounts and tax
 * out from (checkout.ts), so that such a cart shown to the buyer and then
 * checked out is placed in one round trip. A guess only:
 * the checkout's own step checks the cart and its codes are still as
 * guessed, and works them out again from what it reads if not.
 *
 * @example
 * const recent = recentCarts();
 * recent.note(cartId, document);
 * recent.get(cartId); // the document, while it is among the last 256 noted
 */
export function recentCarts(remembered = REMEMBERED) {
  const documents = new Map<string, CartDocument>();
  return {
    /**
     * Remembers `document` as the cart's latest (forgets the cart when it
     * holds no code and has no tax data). Nothing read (undefined) changes nothing: a caller
     * the cart does not exist for reads nothing, and must not make this
     * process forget it for its owner.
     */
    note(cartId: string, document: CartDocument | undefined) {
      if (document === undefined) return;
      documents.delete(cartId);
      if (document.codes === '[]' && document.tax === null) return;
      documents.set(cartId, document);
      // The least recently noted goes first (a Map keeps insertion order).
      if (documents.size > remembered) documents.delete(documents.keys().next().value as string);
    },
    get: (cartId: string): CartDocument | undefined => documents.get(cartId),
    /** Forgets a cart that is gone or closed (deleted, merged away, checked out). */
    forget(cartId: string) {
      documents.delete(cartId);
    },
  };
}

export type RecentCarts = ReturnType<typeof recentCarts>;
