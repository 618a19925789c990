import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/cart/caller.js';
import type { LineChange, NewLine, Preconditions } from '../../src/cart/changes.js';
import { LIMITS } from '../../src/cart/limits.js';
import { planMerge } from '../../src/cart/merge.js';
import { holds, judge, type LineRecord, values } from '../../src/cart/model.js';
import { quantityChecks, roomForLine, subtotalCheck } from '../../src/cart/rules.js';
import { stateOf } from '../../src/data/cart-document.js';
import type { Store } from '../../src/data/store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 28);

/** Prices and quantities that sit at, under and over the limits as often as anywhere else. */
const price = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.constantFrom(LIMITS.unitPriceMax, LIMITS.unitPriceMax - 1, 900_719_925_474),
);
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 20 }),
  fc.constantFrom(LIMITS.quantityMax, LIMITS.quantityMax - 1, 9007, 5000),
);
const metadata = fc.constantFrom('{}', '{"c":"red"}');
const product = fc.constantFrom('p-0', 'p-1', 'p-2');

// Lines already in the cart come from the catalog or were priced by hand: the two never merge.
const priceSource = fc.constantFrom('catalog' as const, 'custom' as const);
const lineArb = fc.record({ productId: product, unitPrice: price, quantity, metadata, priceSource });

/** A generated line of a cart. */
type GenLine = {
  productId: string;
  unitPrice: number;
  quantity: number;
  metadata: string;
  priceSource: 'catalog' | 'custom';
};

/** A cart's lines with distinct merge keys: a few, or close to the line limit. */
const linesArb: fc.Arbitrary<GenLine[]> = fc.oneof(
  fc.uniqueArray(lineArb, {
    maxLength: 6,
    selector: (l) => `${l.productId}|${l.unitPrice}|${l.metadata}|${l.priceSource}`,
  }),
  fc.integer({ min: LIMITS.linesPerCart - 2, max: LIMITS.linesPerCart }).map((n) =>
    Array.from({ length: n }, (_, i) => ({
      productId: `f-${i}`,
      unitPrice: 1,
      quantity: 1,
      metadata: '{}',
      priceSource: 'custom' as const,
    })),
  ),
);

const changeArb = (lineIds: number[]): fc.Arbitrary<LineChange> => {
  const lineId = fc.oneof(fc.constantFrom(...lineIds, 999_999), fc.constant(999_999));
  return fc.oneof(
    fc
      .record({ productId: product, unitPrice: price, quantity, metadata })
      // Adds name their price (a catalog add reads it from products, which this cart-only check leaves out).
      .map((line): LineChange => ({ kind: 'add', line: { ...line, name: 'Added', priceSource: 'custom' } })),
    fc
      .record({
        lineId,
        quantity: fc.option(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(LIMITS.quantityMax)), {
          nil: undefined,
        }),
        unitPrice: fc.option(price, { nil: undefined }),
        metadata: fc.option(metadata, { nil: undefined }),
      })
      .map(({ lineId: id, ...set }): LineChange => ({ kind: 'update', lineId: id, set })),
    lineId.map((id): LineChange => ({ kind: 'remove', lineId: id })),
    fc.constant<LineChange>({ kind: 'clear' }),
  );
};

const whenArb = (version: number): fc.Arbitrary<Preconditions> =>
  fc.record({
    ifMatch: fc.option(fc.oneof(fc.constant('any' as const), fc.subarray([version, version + 1, 1])), {
      nil: undefined,
    }),
    ifNoneMatch: fc.option(fc.subarray([version, version + 7]), { nil: undefined }),
  });

let counter = 0;

/**
 * The guard the store renders as SQL and the rules evaluated in memory are
 * one description: for generated carts and changes, the store applies a
 * change exactly when `judge` finds nothing against it, and refuses it for
 * the reason `judge` gives. Runs on each runtime's own database.
 */
export function rulesAgreeCases(store: () => Store, runs = 60) {
  describe('the SQL guard and the in-memory rules', () => {
    it('agree on every generated change', async () => {
      await fc.assert(
        fc.asyncProperty(
          linesArb.chain((lines) =>
            fc.tuple(
              fc.constant(lines),
              changeArb(lines.map((_, i) => i)),
              whenArb(1),
              fc.constantFrom(T0, T0 + DAY - 1, T0 + DAY, T0 + 2 * DAY),
            ),
          ),
          async ([lines, rawChange, when, now]) => {
            const { carts } = store();
            const id = `crt_agree${String(counter++).padStart(17, '0')}`;
            const document = await carts.create(
              { id, currency: 'USD', metadata: '{}', customerId: null },
              lines.map((line): NewLine => ({ ...line, name: 'Line' })),
              T0,
              1,
            );
            const created = stateOf(document, ANONYMOUS);
            // Generated line ids are indexes into the lines; make them the stored ids.
            const ids = created.lines.map((line) => line.id);
            const change =
              rawChange.kind === 'update' || rawChange.kind === 'remove'
                ? { ...rawChange, lineId: ids[rawChange.lineId] ?? rawChange.lineId }
                : rawChange;
            const expected = judge(created, change, when, now);
            const outcome = await carts.change(
              { cartId: id, now, ttlDays: 1, when, caller: ANONYMOUS, reserveMinutes: null },
              change,
            );
            expect(outcome.applied ? undefined : outcome.refusal).toBe(expected);
            if (outcome.applied) expect(outcome.cart.version).toBe(2);
            else if (outcome.cart) expect(outcome.cart.version).toBe(1);
          },
        ),
        { numRuns: runs, seed: 20261128 },
      );
    });

    it('agree on every generated change under INVENTORY=reserve: what other carts hold, live or lapsed, and what is on hand', async () => {
      const MINUTE = 60_000;
      const PRODUCTS = ['p-0', 'p-1', 'p-2'] as const;
      // Each product untracked or with a count; other carts holding units, their reservations live or just lapsed.
      const stockArb = fc.tuple(
        ...PRODUCTS.map(() =>
          fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(LIMITS.quantityMax)), {
            nil: undefined,
            freq: 4,
          }),
        ),
      );
      const othersArb = fc.array(
        fc.record({
          productId: product,
          quantity: fc.integer({ min: 1, max: 20 }),
          age: fc.constantFrom(0, 15 * MINUTE - 1, 15 * MINUTE, 60 * MINUTE),
        }),
        { maxLength: 4 },
      );
      // Small carts of the three products, and changes that move their quantities: where the stock decides.
      const smallLines = fc.uniqueArray(
        fc.record({
          productId: product,
          unitPrice: fc.integer({ min: 1, max: 1000 }),
          quantity: fc.integer({ min: 1, max: 20 }),
          metadata,
          priceSource,
        }),
        { maxLength: 5, selector: (l) => `${l.productId}|${l.unitPrice}|${l.metadata}|${l.priceSource}` },
      );
      const moves = (lineIds: number[]): fc.Arbitrary<LineChange> =>
        fc.oneof(
          { weight: 3, arbitrary: changeArb(lineIds) },
          {
            weight: 4,
            arbitrary: fc.record({ productId: product, quantity: fc.integer({ min: 1, max: 25 }), metadata }).map(
              (line): LineChange => ({
                kind: 'add',
                line: { ...line, unitPrice: 7, name: 'Added', priceSource: 'custom' },
              }),
            ),
          },
          {
            weight: lineIds.length === 0 ? 0 : 4,
            arbitrary: fc
              .record({ lineId: fc.constantFrom(...lineIds, 0), quantity: fc.integer({ min: 0, max: 25 }) })
              .map(({ lineId, quantity: q }): LineChange => ({ kind: 'update', lineId, set: { quantity: q } })),
          },
        );
      // The cart's own last change: reserved nothing, reserved until later, or reserved until just now.
      const ownUntil = fc.constantFrom<number | null>(null, 15 * MINUTE, 0, -1);
      await fc.assert(
        fc.asyncProperty(
          fc
            .oneof(linesArb, { weight: 3, arbitrary: smallLines })
            .chain((lines) =>
              fc.tuple(
                fc.constant(lines),
                moves(lines.map((_, i) => i)),
                fc.oneof({ weight: 4, arbitrary: fc.constant<Preconditions>({}) }, whenArb(1)),
                fc.constantFrom(T0, T0 + DAY - 1),
              ),
            ),
          stockArb,
          othersArb,
          ownUntil,
          async ([lines, rawChange, when, now], counts, others, until) => {
            const store_ = store();
            const { carts } = store_;
            const serial = String(counter++).padStart(16, '0');
            // Products of this run only: p-0 … p-2 named apart from every other run's.
            const own = (productId: string) => (productId.startsWith('p-') ? `${productId}-${serial}` : productId);
            for (const [i, onHand] of counts.entries())
              if (onHand !== undefined) await store_.stock.put(own(PRODUCTS[i] as string), onHand, undefined, T0);
            for (const [i, other] of others.entries()) {
              const otherId = `crt_hold${serial}${i}`;
              const made = await carts.create(
                { id: otherId, currency: 'USD', metadata: '{}', customerId: null },
                [
                  {
                    productId: own(other.productId),
                    name: 'Held',
                    unitPrice: 1,
                    quantity: other.quantity,
                    metadata: '{}',
                    priceSource: 'custom',
                  },
                ],
                now - other.age,
                30,
              );
              expect(made.version).toBe(1);
              // Reserved as a change at that moment would have: 15 minutes from it.
              await store_.db.run(
                sql`update carts set reserved_until = ${now - other.age + 15 * MINUTE} where id = ${otherId}`,
              );
            }
            const id = `crt_resv${String(counter++).padStart(18, '0')}`;
            const document = await carts.create(
              { id, currency: 'USD', metadata: '{}', customerId: null },
              lines.map((line): NewLine => ({ ...line, productId: own(line.productId), name: 'Line' })),
              T0,
              1,
            );
            if (until !== null)
              await store_.db.run(sql`update carts set reserved_until = ${now + until} where id = ${id}`);
            const created = stateOf(document, ANONYMOUS);
            const ids = created.lines.map((line) => line.id);
            const change: LineChange =
              rawChange.kind === 'update' || rawChange.kind === 'remove'
                ? { ...rawChange, lineId: ids[rawChange.lineId] ?? rawChange.lineId }
                : rawChange.kind === 'add'
                  ? { ...rawChange, line: { ...rawChange.line, productId: own(rawChange.line.productId ?? '') } }
                  : rawChange;
            // The product the change touches, and the stock as the rules see it for this cart.
            const touched =
              change.kind === 'add'
                ? change.line.productId
                : change.kind === 'update' && change.set.quantity !== undefined
                  ? created.lines.find((line) => line.id === change.lineId)?.productId
                  : undefined;
            const heldOf = (productId: string | null | undefined) =>
              others
                .filter((other) => own(other.productId) === productId && other.age < 15 * MINUTE)
                .reduce((sum, other) => sum + other.quantity, 0);
            const index = PRODUCTS.findIndex((p) => own(p) === touched);
            const onHand = index < 0 ? undefined : counts[index];
            const held = heldOf(touched);
            // The cart's own reservation lapsed (none, or until now at the latest) while it holds more of a
            // tracked product than other carts leave: no change can renew it as it is.
            const lapsed = until === null || until <= 0;
            const short = PRODUCTS.some((p, i) => {
              const count = counts[i];
              const units = created.lines
                .filter((line) => line.productId === own(p))
                .reduce((sum, line) => sum + line.quantity, 0);
              return count !== undefined && units > 0 && units > count - heldOf(own(p));
            });
            const stock =
              onHand === undefined ? undefined : { tracked: true, room: onHand - held, lapsedShort: lapsed && short };
            const expected = judge({ ...created, stock }, change, when, now);
            const outcome = await carts.change(
              { cartId: id, now, ttlDays: 1, when, caller: ANONYMOUS, reserveMinutes: 15 },
              change,
            );
            expect(outcome.applied ? undefined : outcome.refusal).toBe(expected);
            if (!outcome.applied && outcome.refusal === 'insufficient-stock')
              expect(outcome.available).toBe(Math.max(0, (onHand ?? 0) - held));
          },
        ),
        { numRuns: runs * 2, seed: 20261207 },
      );
    });

    it('agree on every generated sign-in merge: the store makes the plan, and the merged cart keeps every limit', async () => {
      const keyOf = (l: { productId: string | null; unitPrice: number; metadata: string; priceSource: string }) =>
        `${l.productId}|${l.unitPrice}|${l.metadata}|${l.priceSource}`;
      await fc.assert(
        fc.asyncProperty(
          // The anonymous cart shares some of the customer's lines (other quantities) and adds its own.
          linesArb.chain((mine) =>
            fc.tuple(
              fc.constant(mine),
              fc
                .tuple(fc.subarray(mine), linesArb)
                .chain(([shared, extra]) =>
                  fc
                    .tuple(...shared.map(() => quantity))
                    .map((quantities) => [
                      ...shared.map((line, i) => ({ ...line, quantity: quantities[i] ?? 1 })),
                      ...extra.filter((line) => !shared.some((other) => keyOf(other) === keyOf(line))),
                    ]),
                ),
            ),
          ),
          fc.constantFrom('sum', 'max', 'replace') as fc.Arbitrary<'sum' | 'max' | 'replace'>,
          async ([mine, theirs], mode) => {
            // Carts a request could have made: within the subtotal cap (the generator also makes others).
            const within = (lines: typeof mine) =>
              holds(
                subtotalCheck(
                  values,
                  lines.reduce((sum, l) => sum + BigInt(l.unitPrice) * BigInt(l.quantity), 0n),
                ).holds,
              );
            fc.pre(within(mine) && within(theirs));
            const { carts } = store();
            const serial = String(counter++).padStart(16, '0');
            const customerId = `cus_agree${serial}`;
            const make = (id: string, lines: typeof mine, owner: string | null) =>
              carts.create(
                { id, currency: 'USD', metadata: '{}', customerId: owner },
                lines.map((line): NewLine => ({ ...line, name: 'Line' })),
                T0,
                30,
              );
            const customer = { customerId, admin: false };
            const target = stateOf(await make(`crt_mine${serial}0`, mine, customerId), customer).lines;
            const anonymous = stateOf(await make(`crt_them${serial}0`, theirs, null), ANONYMOUS).lines;
            const plan = planMerge(target, anonymous, mode);
            const expected = new Map<string, number>();
            if (mode !== 'replace') for (const line of target) expected.set(keyOf(line), line.quantity);
            const byId = new Map<number, LineRecord>(target.map((line) => [line.id, line]));
            for (const [id, quantity] of plan.updates) expected.set(keyOf(byId.get(id) as LineRecord), quantity);
            for (const line of plan.inserts) expected.set(keyOf(line), line.quantity);
            const outcome = await carts.merge({
              anonymousId: `crt_them${serial}0`,
              customerId,
              mode,
              now: T0 + 1,
              ttlDays: 30,
              reserveMinutes: null,
            });
            expect(outcome.merged).toBe(true);
            if (!outcome.merged) return;
            const merged = stateOf(outcome.cart, customer).lines;
            expect(new Map(merged.map((line) => [keyOf(line), line.quantity]))).toEqual(expected);
            // Every limit of the rules holds for the merged cart.
            let subtotal = 0n;
            for (const line of merged) {
              subtotal += BigInt(line.unitPrice) * BigInt(line.quantity);
              for (const check of quantityChecks(values, true, BigInt(line.quantity)))
                expect(holds(check.holds)).toBe(true);
            }
            expect(holds(subtotalCheck(values, subtotal).holds)).toBe(true);
            expect(holds(roomForLine(values, BigInt(merged.length - 1)).holds)).toBe(true);
          },
        ),
        { numRuns: Math.max(10, Math.floor(runs / 3)), seed: 20261206 },
      );
    });
  });
}
