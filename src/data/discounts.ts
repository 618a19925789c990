import { and, eq, sql } from 'drizzle-orm';
import type { Facts } from '../cart/algebra.js';
import type { Preconditions } from '../cart/changes.js';
import { factsOf, values } from '../cart/model.js';
import type { AttachRefusal, Check, DetachRefusal } from '../cart/refusals.js';
import { attachChecks, detachChecks } from '../cart/rules.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import { type AttachedCode, type CartDocument, codesOf } from './cart-json.js';
import { compile, type Row, slot } from './compiled.js';
import type { Db } from './db.js';
import { bumpWhere, byShape, type ChangeContext, changeValues, explained, runGuarded, stampedBy } from './guarded.js';
import { amountsJson, keyPage } from './key-order.js';
import type { RecentCarts } from './recent-carts.js';
import { cartDiscounts, carts, discounts } from './schema.js';
import { cartColumn, sqlCodeFacts, sqlFacts, sqlTerms } from './sql-rules.js';

/** A discount as it is written (API.md §7); the code in upper case, amounts by ISO 4217 code, times epoch ms. */
export interface DiscountInput {
  code: string;
  kind: 'percentage' | 'fixed';
  percentOffBp: number | null;
  amountOff: Record<string, number> | null;
  minSubtotal: Record<string, number> | null;
  startsAt: number | null;
  endsAt: number | null;
  maxRedemptions: number | null;
  active: boolean;
}

export type DiscountRow = typeof discounts.$inferSelect;

/** A change to a cart's codes: the cart's change context and the code (upper case). */
type CodeChange = ChangeContext & { code: string };

export type CodeOutcome<R> =
  | { applied: true; cart: CartDocument }
  | { applied: false; refusal: R; message: string; cart: CartDocument | undefined };

const now = sql`${slot('now')}`;
const CODE = sql`${slot('code')}`;
const codesOfCart = sql`from ${cartDiscounts} where ${cartDiscounts.cartId} = ${cartColumn(carts.id)}`;
const attachedTerm = sql`exists (select 1 ${codesOfCart} and ${cartDiscounts.code} = ${CODE})`;
const countTerm = sql`(select count(*) ${codesOfCart})`;
const stamped = stampedBy();

/** What the rules need of the code `code` for the cart, read in the change's own step (a refused attach explains itself). */
const codeRead = (() => {
  const f = sqlCodeFacts(CODE);
  return compile(
    sql`select ${f.exists}, ${f.active}, ${f.startsAt}, ${f.endsAt}, ${f.maxRedemptions}, ${f.redemptions}, ${f.priced}
      from ${carts} where ${carts.id} = ${slot('cartId')}`,
  );
})();

const insertCode = compile(
  sql`insert into ${cartDiscounts} (cart_id, code, created_at) select ${slot('cartId')}, ${CODE}, ${now} where ${stamped}`,
);
const deleteCode = compile(
  sql`delete from ${cartDiscounts} where ${cartDiscounts.cartId} = ${slot('cartId')} and ${cartDiscounts.code} = ${CODE}
    and ${stamped}`,
);

/** The guarded bump of an attach or a detach (guarded.ts), by the shape of its preconditions. */
function guarded(kind: 'attach' | 'detach', when: Preconditions) {
  return byShape(`code|${kind}`, when, (w) => {
    const facts = sqlFacts({ kind: 'clear' });
    const checks =
      kind === 'attach'
        ? attachChecks(sqlTerms, facts, { count: countTerm, attached: attachedTerm }, sqlCodeFacts(CODE), w, now)
        : detachChecks(sqlTerms, facts, attachedTerm, w, now);
    return bumpWhere(checks.map((check) => check.holds));
  });
}

/** Whether the discount `code` is there (not deleted), read before an upsert. */
const present = compile(
  sql`select count(*) from ${discounts} where ${discounts.code} = ${slot('code')} and ${discounts.deletedAt} is null`,
);
const live = sql`${discounts.deletedAt} is null`;

/** Upserts one discount; `redemptions` is kept across a replace, and across a delete and a new create. */
const upsert = compile(
  sql`insert into ${discounts} (code, kind, percent_off_bp, amount_off, min_subtotal, starts_at, ends_at,
      max_redemptions, redemptions, active, version, created_at, updated_at)
    values (${slot('code')}, ${slot('kind')}, ${slot('percentOffBp')}, ${slot('amountOff')}, ${slot('minSubtotal')},
      ${slot('startsAt')}, ${slot('endsAt')}, ${slot('maxRedemptions')}, 0, ${slot('active')}, 1, ${now}, ${now})
    on conflict (code) do update set kind = excluded.kind, percent_off_bp = excluded.percent_off_bp,
      amount_off = excluded.amount_off, min_subtotal = excluded.min_subtotal, starts_at = excluded.starts_at,
      ends_at = excluded.ends_at, max_redemptions = excluded.max_redemptions, active = excluded.active,
      version = ${discounts.version} + 1, updated_at = excluded.updated_at,
      created_at = case when ${discounts.deletedAt} is null then ${discounts.createdAt} else excluded.created_at end,
      deleted_at = null`,
);

/**
 * Discount codes (API.md §7): the admin's definitions, and the codes on a
 * cart. Attaching and removing a code is a change to the cart like any
 * other: one batch whose first statement bumps the version only where every
 * rule holds (rules.ts attachChecks, detachChecks, rendered as SQL), the
 * refusal explained from the state read back in that step.
 *
 * @example
 * const codes = discountStore(db);
 * await codes.attach({ cartId, code: 'WELCOME10', now, ttlDays: 30, when: {} });
 */
export function discountStore(db: Db, recent: RecentCarts) {
  async function change<R extends AttachRefusal | DetachRefusal>(
    kind: 'attach' | 'detach',
    m: CodeChange,
    checks: (
      facts: Facts<bigint | null, boolean | null>,
      attached: AttachedCode[],
      code: Row | undefined,
    ) => Check<boolean | null, R>[],
  ): Promise<CodeOutcome<R>> {
    const guard = guarded(kind, m.when);
    const given = { ...guard.values, ...changeValues(m), code: m.code };
    const statements = [guard.statements, kind === 'attach' ? insertCode : deleteCode, visibleReadBack, codeRead];
    const [bumped, , documents, codeRows] = await runGuarded(db, statements, given);
    const cart = documentOf(documents?.[0]);
    recent.note(m.cartId, cart);
    if ((bumped?.length ?? 0) > 0 && cart !== undefined) return { applied: true, cart };
    const facts = factsOf(stateOf(cart, m.caller), { kind: 'clear' });
    const checked = checks(facts, codesOf(cart), codeRows?.[0]);
    return { applied: false, ...explained('a change of discount codes', checked, facts), cart };
  }

  const bool = (value: unknown) => (value === null || value === undefined ? null : Number(value) === 1);
  const big = (value: unknown) => (value === null || value === undefined ? null : BigInt(value as number));

  return {
    /** Attaches `code` (upper case) to a cart (API.md §7). */
    attach(m: CodeChange) {
      return change('attach', m, (facts, attached, row) => {
        const code = {
          exists: bool(row?.[0]) ?? false,
          active: bool(row?.[1]),
          startsAt: big(row?.[2]),
          endsAt: big(row?.[3]),
          maxRedemptions: big(row?.[4]),
          redemptions: big(row?.[5]),
          priced: bool(row?.[6]),
        };
        const codes = { count: BigInt(attached.length), attached: attached.some((a) => a[0] === m.code) };
        return attachChecks(values, facts, codes, code, m.when, BigInt(m.now));
      });
    },

    /** Removes `code` (upper case) from a cart. */
    detach(m: CodeChange) {
      return change('detach', m, (facts, attached) =>
        detachChecks(
          values,
          facts,
          attached.some((a) => a[0] === m.code),
          m.when,
          BigInt(m.now),
        ),
      );
    },

    /** Creates or replaces a discount, and reads it back in the same step. */
    async put(input: DiscountInput, at: number): Promise<{ created: boolean; row: DiscountRow }> {
      const [before, , read] = await db.batch([
        present.inBatch(db, { code: input.code }),
        upsert.inBatch(db, {
          ...input,
          amountOff: amountsJson(input.amountOff),
          minSubtotal: amountsJson(input.minSubtotal),
          active: input.active ? 1 : 0,
          now: at,
        }),
        db.select().from(discounts).where(eq(discounts.code, input.code)),
      ]);
      const row = (read as DiscountRow[])[0];
      if (row === undefined) throw new Error('a discount just written could not be read back');
      return { created: Number((before as unknown as Row[])[0]?.[0]) === 0, row };
    },

    async get(code: string): Promise<DiscountRow | undefined> {
      return db
        .select()
        .from(discounts)
        .where(and(eq(discounts.code, code), live))
        .get();
    },

    /** A page of discounts in code order, after the code `after`. */
    list: (limit: number, after?: string) => keyPage(db, discounts, discounts.code, limit, after, live),

    /**
     * Deletes a discount; carts that hold its code show it as not applicable.
     * The row stays behind (its redemptions count on if the code is created again).
     */
    async remove(code: string, at: number): Promise<boolean> {
      const gone = await db
        .update(discounts)
        .set({ deletedAt: at, updatedAt: at, version: sql`${discounts.version} + 1` })
        .where(and(eq(discounts.code, code), live))
        .returning({ code: discounts.code });
      return gone.length > 0;
    },
  };
}

export type DiscountStore = ReturnType<typeof discountStore>;
