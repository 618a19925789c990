import { sameMergeKey } from './changes.js';
import { LIMITS, MAX_AMOUNT } from './limits.js';
import { holds, type LineRecord, values } from './model.js';
import { quantityChecks, roomForLine, subtotalCheck } from './rules.js';

/** How a signed-in customer's anonymous cart joins their open cart (API.md §8). */
export type MergeMode = 'sum' | 'max' | 'replace';

/** A limit the merge kept, reported in the answer's `warnings`. */
export interface MergeWarning {
  code: 'quantity-clamped' | 'line-dropped' | 'code-dropped';
  path: string;
  message: string;
}

/** What the merge writes into the customer's cart: quantities of its lines, lines removed, lines added. */
export interface MergePlan {
  updates: Array<[number, number]>;
  deletes: number[];
  inserts: LineRecord[];
  warnings: MergeWarning[];
}

const lineTotal = (line: { unitPrice: number; quantity: number }) => BigInt(line.unitPrice) * BigInt(line.quantity);

/**
 * The lines of the customer's cart after the merge, by mode: `sum` adds the
 * quantities of lines with the same merge key, `max` keeps the larger, both
 * append the other lines; `replace` makes the cart hold exactly the
 * anonymous cart's lines. Quantities clamp to the line maximum and lines
 * past the line limit (or the subtotal limit) are dropped, each reported.
 */
export function planMerge(target: LineRecord[], anonymous: LineRecord[], mode: MergeMode): MergePlan {
  const plan: MergePlan = { updates: [], deletes: [], inserts: [], warnings: [] };
  const kept = mode === 'replace' ? [] : target.map((line) => ({ ...line }));
  if (mode === 'replace') plan.deletes = target.map((line) => line.id);
  let subtotal = kept.reduce((sum, line) => sum + lineTotal(line), 0n);
  let lineCount = kept.length;
  for (const line of [...anonymous].sort((a, b) => a.id - b.id)) {
    const path = `items.${line.id}`;
    const twin = kept.find((other) => sameMergeKey(other, line));
    if (twin !== undefined) {
      const wanted = mode === 'sum' ? twin.quantity + line.quantity : Math.max(twin.quantity, line.quantity);
      const fitsLine = quantityChecks(values, true, BigInt(wanted)).every((check) => holds(check.holds));
      let quantity = fitsLine ? wanted : LIMITS.quantityMax;
      if (!fitsLine)
        plan.warnings.push({
          code: 'quantity-clamped',
          path,
          message: `Merged, the line would hold ${wanted}; it holds ${quantity}, the most a line may.`,
        });
      const room = BigInt(MAX_AMOUNT) - (subtotal - lineTotal(twin));
      if (!holds(subtotalCheck(values, subtotal - lineTotal(twin) + BigInt(twin.unitPrice) * BigInt(quantity)).holds)) {
        const fits = twin.unitPrice === 0 ? quantity : Number(room / BigInt(twin.unitPrice));
        quantity = Math.max(twin.quantity, Math.min(quantity, fits));
        plan.warnings.push({
          code: 'quantity-clamped',
          path,
          message: `The subtotal may not pass ${MAX_AMOUNT}; the line holds ${quantity}.`,
        });
      }
      subtotal += BigInt(twin.unitPrice) * BigInt(quantity) - lineTotal(twin);
      if (quantity !== twin.quantity) {
        twin.quantity = quantity;
        plan.updates.push([twin.id, quantity]);
      }
      continue;
    }
    if (!holds(roomForLine(values, BigInt(lineCount)).holds)) {
      plan.warnings.push({
        code: 'line-dropped',
        path,
        message: `The cart already holds ${LIMITS.linesPerCart} lines, the most it may; the line was not added.`,
      });
      continue;
    }
    if (!holds(subtotalCheck(values, subtotal + lineTotal(line)).holds)) {
      plan.warnings.push({
        code: 'line-dropped',
        path,
        message: `The subtotal may not pass ${MAX_AMOUNT}; the line was not added.`,
      });
      continue;
    }
    subtotal += lineTotal(line);
    lineCount += 1;
    // No later anonymous line shares its key: merge keys are unique within a cart.
    plan.inserts.push(line);
  }
  return plan;
}
