import type { Context } from 'hono';
import type { MutationResult, NewLine } from '../../cart/carts.js';
import { LIMITS, MAX_AMOUNT } from '../../cart/rules.js';
import { problem } from '../../lib/problem.js';

// The state read in the same batch as a refused mutation says exactly why it was refused.

const subtotalTooLarge = (c: Context) => {
  const message = `The cart subtotal would exceed ${MAX_AMOUNT}`;
  return problem(c, 422, 'validation-failed', message, [{ path: 'quantity', message }]);
};

/** Why an add to a live cart at the right version did not apply. */
export function diagnoseAdd(c: Context, result: MutationResult<unknown>, line: NewLine) {
  const existing = result.lines.find(
    (row) => row.productId === line.productId && row.unitPrice === line.unitPrice && row.metadata === line.metadata,
  );
  if (existing && existing.quantity + line.quantity > LIMITS.quantityMax) {
    const message = `Merged into line ${existing.id} the quantity would be ${existing.quantity + line.quantity}; at most ${LIMITS.quantityMax}`;
    return problem(c, 422, 'validation-failed', message, [{ path: 'quantity', message }]);
  }
  if (!existing && result.lines.length >= LIMITS.linesPerCart) {
    return problem(c, 409, 'cart-full', `The cart already holds ${result.lines.length} lines, the most it may.`);
  }
  return subtotalTooLarge(c);
}

/** Why a line change on a live cart at the right version did not apply. */
export function diagnoseUpdate(
  c: Context,
  result: MutationResult<unknown>,
  lineId: number,
  change: { metadata?: string | undefined },
) {
  const line = result.lines.find((row) => row.id === lineId);
  if (!line) return problem(c, 404, 'not-found', 'No line with that id in this cart.');
  const duplicate = result.lines.some(
    (row) =>
      line.productId !== null &&
      row.id !== lineId &&
      row.productId === line.productId &&
      row.unitPrice === line.unitPrice &&
      row.metadata === change.metadata,
  );
  if (duplicate) return problem(c, 409, 'conflict', 'Another line already has this product, price and metadata.');
  return subtotalTooLarge(c);
}
