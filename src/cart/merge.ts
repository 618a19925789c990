import type { FieldError, ProblemSlug } from '../lib/problem.js';
import type { NewLine } from './carts.js';
import { canonicalMetadata, LIMITS, MAX_AMOUNT, type Metadata } from './rules.js';

export interface LineInput {
  product_id: string;
  name: string;
  unit_price: number;
  quantity: number;
  metadata?: Metadata | undefined;
}

export type MergeResult =
  | { ok: true; lines: NewLine[] }
  | { ok: false; status: 409 | 422; slug: ProblemSlug; detail: string; errors?: FieldError[] };

/**
 * Merges the lines of a new cart as successive adds would: the same product,
 * price and metadata make one line. Refuses what the cart could not hold.
 */
export function mergeLines(items: LineInput[]): MergeResult {
  const byKey = new Map<string, NewLine>();
  let subtotal = 0;
  for (const [index, item] of items.entries()) {
    const metadata = canonicalMetadata(item.metadata);
    const key = JSON.stringify([item.product_id, item.unit_price, metadata]);
    const line = byKey.get(key);
    const quantity = (line?.quantity ?? 0) + item.quantity;
    if (quantity > LIMITS.quantityMax) {
      const message = `Merged with an earlier item this line would hold ${quantity}; at most ${LIMITS.quantityMax}`;
      return {
        ok: false,
        status: 422,
        slug: 'validation-failed',
        detail: message,
        errors: [{ path: `items.${index}.quantity`, message }],
      };
    }
    subtotal += item.unit_price * item.quantity;
    if (subtotal > MAX_AMOUNT) {
      const message = `The cart subtotal would exceed ${MAX_AMOUNT}`;
      return {
        ok: false,
        status: 422,
        slug: 'validation-failed',
        detail: message,
        errors: [{ path: `items.${index}`, message }],
      };
    }
    if (line) line.quantity = quantity;
    else
      byKey.set(key, { productId: item.product_id, name: item.name, unitPrice: item.unit_price, quantity, metadata });
  }
  if (byKey.size > LIMITS.linesPerCart) {
    return {
      ok: false,
      status: 409,
      slug: 'cart-full',
      detail: `A cart holds at most ${LIMITS.linesPerCart} lines; these items make ${byKey.size}.`,
    };
  }
  return { ok: true, lines: [...byKey.values()] };
}
