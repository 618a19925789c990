import { describe, expect, it } from 'vitest';
import { LIMITS, MAX_AMOUNT } from './limits.js';
import { planMerge } from './merge.js';
import type { LineRecord } from './model.js';

let nextId = 1;
const line = (productId: string, quantity: number, unitPrice = 100): LineRecord => ({
  id: nextId++,
  productId,
  name: productId,
  unitPrice,
  quantity,
  metadata: '{}',
  priceSource: 'custom',
});

describe('planMerge', () => {
  it('sums a twin to exactly the quantity limit with no warning, and clamps one more with one', () => {
    const mine = line('a', LIMITS.quantityMax - 4);
    const at = planMerge([mine], [line('a', 4)], 'sum');
    expect(at.updates).toEqual([[mine.id, LIMITS.quantityMax]]);
    expect(at.warnings).toEqual([]);
    const anonymous = line('a', 5);
    const over = planMerge([mine], [anonymous], 'sum');
    expect(over.updates).toEqual([[mine.id, LIMITS.quantityMax]]);
    expect(over.warnings).toEqual([
      {
        code: 'quantity-clamped',
        path: `items.${anonymous.id}`,
        message: `Merged, the line would hold ${LIMITS.quantityMax + 1}; it holds ${LIMITS.quantityMax}, the most a line may.`,
      },
    ]);
  });

  it('keeps the larger quantity with max, and changes nothing when the customer’s is larger', () => {
    const mine = line('a', 7);
    expect(planMerge([mine], [line('a', 3)], 'max')).toMatchObject({ updates: [], warnings: [] });
    expect(planMerge([mine], [line('a', 9)], 'max').updates).toEqual([[mine.id, 9]]);
  });

  it('appends lines up to the line limit, and drops the next one with a warning', () => {
    const full = Array.from({ length: LIMITS.linesPerCart - 1 }, (_, i) => line(`own-${i}`, 1));
    const [last, dropped] = [line('new-1', 1), line('new-2', 1)];
    const plan = planMerge(full, [last, dropped], 'sum');
    expect(plan.inserts).toEqual([last]);
    expect(plan.warnings).toEqual([
      {
        code: 'line-dropped',
        path: `items.${dropped.id}`,
        message: `The cart already holds ${LIMITS.linesPerCart} lines, the most it may; the line was not added.`,
      },
    ]);
  });

  it('appends a line that takes the subtotal exactly to the cap, and drops one a unit past it', () => {
    const price = 1_000_000_000_000;
    const mine = line('big', 9000, price);
    const room = MAX_AMOUNT - 9000 * price;
    const exact = line('fits', 1, room);
    expect(planMerge([mine], [exact], 'sum')).toMatchObject({ inserts: [exact], warnings: [] });
    const past = line('past', 1, room + 1);
    expect(planMerge([mine], [past], 'sum')).toMatchObject({
      inserts: [],
      warnings: [{ code: 'line-dropped', path: `items.${past.id}` }],
    });
  });

  it('clamps a summed twin to what the subtotal cap leaves, never below what the customer had', () => {
    const price = 1_000_000_000_000;
    const mine = line('big', 9000, price);
    const plan = planMerge([mine], [line('big', 8, price)], 'sum');
    expect(plan.updates).toEqual([[mine.id, 9007]]);
    expect(plan.warnings).toMatchObject([{ code: 'quantity-clamped' }]);
  });

  it('with replace, removes every line of the customer’s cart and adds the anonymous ones', () => {
    const mine = [line('a', 1), line('b', 2)];
    const theirs = [line('a', 3)];
    expect(planMerge(mine, theirs, 'replace')).toEqual({
      updates: [],
      deletes: mine.map((l) => l.id),
      inserts: theirs,
      warnings: [],
    });
  });
});
