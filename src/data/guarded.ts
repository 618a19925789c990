import { type SQL, sql } from 'drizzle-orm';
import type { Facts } from '../cart/algebra.js';
import type { Caller } from '../cart/caller.js';
import type { LineChange, Preconditions } from '../cart/changes.js';
import { type CartState, factsOf, firstFailing, holds } from '../cart/model.js';
import { availableOf, type Check, explain, type Refusal } from '../cart/refusals.js';
import { expiryAfter } from '../cart/rules.js';
import { memo } from '../lib/memo.js';
import { stateOf } from './cart-document.js';
import type { CartDocument } from './cart-json.js';
import { type Compiled, compile, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { carts } from './schema.js';
import { lapsedFitting, lapsedShort, sqlTerms } from './sql-rules.js';

/*
 * The guarded-change kit: how every change to a cart is made (lines, codes,
 * checkout, merge, and any flow to come). A change is one batch; its first
 * statement (bumpWhere) moves the cart's version and stamps it with the
 * change's id only where every check of rules.ts holds, rendered as SQL;
 * the statements after it act only where the stamp is; the cart is read
 * back in the same batch, and a refusal is explained (explained) from that
 * state by the same checks in memory. Statements are compiled once per
 * shape (byShape); the values of one change come from changeValues.
 */

/** What every change needs to know besides the change itself. */
export interface ChangeContext {
  cartId: string;
  now: number;
  ttlDays: number;
  when: Preconditions;
  /** Who asks: a cart bound to a customer exists only for them and the admin. */
  caller: Caller;
  /** With INVENTORY=reserve (README, Stock): how long a change keeps the cart's units reserved, in minutes; else null. */
  reserveMinutes: number | null;
}

/** How long a change reserves its cart's units under a configuration: RESERVATION_MINUTES with INVENTORY=reserve, else null. */
export const reserveMinutesOf = (config: { INVENTORY: string; RESERVATION_MINUTES: number }) =>
  config.INVENTORY === 'reserve' ? config.RESERVATION_MINUTES : null;

/** Whether a configuration reserves stock (INVENTORY=reserve): a read's stock warnings then count other carts' reservations. */
export const reserving = (config: { INVENTORY: string }) => config.INVENTORY === 'reserve';

/** The slot `reserving` (sql-rules.ts roomToTake) for a change that reserves for `reserveMinutes` (null: none). */
export const reservingSlot = (reserveMinutes: number | null) => (reserveMinutes === null ? 0 : 1);

/** Until when a change at `now` reserves its cart's units (README, Stock); null where it reserves none. */
export const reservedUntil = (now: number, reserveMinutes: number | null) =>
  reserveMinutes === null ? null : now + reserveMinutes * 60_000;

/** The statement values that say who asks (sql-rules.ts visibleCart). */
export const callerValues = (caller: Caller) => ({ caller: caller.customerId, admin: caller.admin ? 1 : 0 });

/** The values every guarded change binds: who asks, the cart, the clock, the renewed expiry and a fresh stamp. */
export const changeValues = (m: ChangeContext) => ({
  ...callerValues(m.caller),
  cartId: m.cartId,
  now: m.now,
  expiry: expiryAfter(m.now, m.ttlDays),
  reserveUntil: reservedUntil(m.now, m.reserveMinutes),
  reserving: reservingSlot(m.reserveMinutes),
  op: crypto.randomUUID(),
});

/** A guarded change's statements, built once per flow and shape: their text does not depend on the database. */
const shapes = memo<string, unknown>();

/**
 * The statements `build` makes for a flow's preconditions, from the cache
 * keyed by `flow` and the preconditions' shape (preconditionSlots), and the
 * values of the preconditions' slots.
 *
 * @example
 * const { statements, values } = byShape(`code|attach`, m.when, (when) => bumpWhere(checksOf(when)));
 */
export function byShape<T>(flow: string, when: Preconditions, build: (when: Preconditions) => T) {
  const slots = preconditionSlots(when);
  return { statements: shapes(`${flow}|${slots.key}`, () => build(slots.when)) as T, values: slots.values };
}

/**
 * The guarded bump: the cart in the slot `cartId` (or the one named) moves
 * (bumpSet, stamped with the slot `op` or the one named, and `also` set
 * with it) only where every term of `guard` holds. It returns `returning`,
 * by default the new version: no row, the change was refused.
 *
 * @example
 * const bump = bumpWhere(attachChecks(sqlTerms, …).map((check) => check.holds));
 */
export function bumpWhere(
  guard: SQL[],
  o: { also?: SQL; returning?: SQL; cartId?: string; op?: string; renew?: Renewal } = {},
): Compiled {
  const also = o.also === undefined ? sql`` : sql`, ${o.also}`;
  return compile(
    sql`update ${carts} set ${bumpSet(o.op, o.renew)}${also}
      where ${carts.id} = ${slot(o.cartId ?? 'cartId')} and ${sqlTerms.and(...guard)}
      returning ${o.returning ?? carts.version}`,
  );
}

/** Runs a guarded change's statements as one batch (one round trip, all or nothing), each with `given`. */
export const runGuarded = (db: Db, statements: Compiled[], given: Record<string, unknown>) =>
  runBatch(
    db,
    statements.map((statement) => statement.inBatch(db, given)),
  );

/**
 * Which check refused a change the guard refused, and why in words, judged
 * in memory on the facts read back in its step. The guard and the rules
 * are one description: a refusal no check explains is a bug, never the
 * request's fault, and throws.
 */
export function explained<R extends Refusal>(
  what: string,
  checks: Check<boolean | null, R>[],
  facts: Parameters<typeof explain>[1],
  change: LineChange = { kind: 'clear' },
): { refusal: R; message: string } {
  const refusal = firstFailing(checks, holds);
  if (refusal === undefined) throw unexplained(what);
  return { refusal, message: explain(refusal, facts, change) };
}

export type ChangeOutcome<R extends Refusal = Refusal> =
  | {
      applied: true;
      cart: CartDocument;
      /** The line added (new or merged into) by an add. */
      lineId: number | undefined;
      /** An add that grew an existing line. */
      merged: boolean;
    }
  | Refused<R>;

/** A change the rules refused: which rule, in words, and the cart it was refused on (none if there is none). */
export interface Refused<R extends Refusal = Refusal> {
  applied: false;
  refusal: R;
  message: string;
  cart: CartDocument | undefined;
  /** For `insufficient-stock` (INVENTORY=reserve): how many of the product the cart may hold in all. */
  available?: number;
}

/**
 * Explains a refusal from the state read back in the step the guard refused
 * it, and what else that step read (`seen`: the catalog an add priced from
 * it saw, the stock a reserving change saw). A refusal for stock says what
 * the cart may hold (`available`).
 */
export function refusedOutcome<R extends Refusal>(
  document: CartDocument | undefined,
  caller: Caller,
  change: LineChange,
  checks: (facts: Facts<bigint | null, boolean | null>, change: LineChange) => Check<boolean | null, R>[],
  seen: Pick<CartState, 'catalog' | 'stock'> = {},
): Refused<R> {
  const facts = factsOf({ ...stateOf(document, caller), ...seen }, change);
  const outcome = explained('a change', checks(facts, change), facts, change);
  const available = outcome.refusal === 'insufficient-stock' ? Number(availableOf(facts)) : undefined;
  return { applied: false, ...outcome, cart: document, ...(available === undefined ? {} : { available }) };
}

/**
 * A change's preconditions with each entity tag a named slot (`m0…`,
 * `n0…`): the statement text depends on the lists' lengths only (`key`);
 * the tags are bound (`values`).
 */
export function preconditionSlots(when: Preconditions) {
  const key: string[] = [];
  const values: Record<string, number> = {};
  const list = (name: string, versions: Preconditions['ifMatch']) => {
    key.push(
      versions === undefined || versions === 'any' ? `${name}:${versions ?? '-'}` : `${name}:${versions.length}`,
    );
    if (!Array.isArray(versions)) return versions;
    return versions.map((version, i) => {
      values[`${name}${i}`] = version;
      return slot<number>(`${name}${i}`);
    });
  };
  const symbolic: Preconditions = { ifMatch: list('m', when.ifMatch), ifNoneMatch: list('n', when.ifNoneMatch) };
  return { key: key.join('|'), when: symbolic, values };
}

/** The cart the slot `cartId` names carries the stamp `op` of this change's first statement. */
export const stampedBy = (op = 'op', cartId = 'cartId') =>
  sql`exists (select 1 from ${carts} where ${carts.id} = ${slot(cartId)} and ${carts.lastOp} = ${slot(op)})`;

/** A changed cart's new expiry (the slot `expiry`); the default cart, which has none, keeps none. */
export const renewedExpiry = sql`case when ${carts.expiresAt} is null then null else ${slot('expiry')} end`;

/**
 * What every guarded change sets on its cart, stated once: the version
 * moves, the change's time (the slot `now`), renewed expiry and
 * reservations (renewedReservations), and its stamp (the slot `op`, or the
 * one named).
 *
 * @example
 * compile(sql`update ${carts} set ${bumpSet()} where ${carts.id} = ${slot('cartId')} and ${guard}`);
 */
export const bumpSet = (op = 'op', renew: Renewal = renewedReservations) =>
  sql`version = ${carts.version} + 1, updated_at = ${slot('now')}, expires_at = ${renewedExpiry},
    reserved_until = ${renew}, last_op = ${slot(op)}`;

/** What a change sets a cart's `reserved_until` to (README, Stock): an SQL term of the cart row it moves. */
export type Renewal = SQL;

/**
 * With INVENTORY=reserve (the slot `reserveUntil`; null otherwise, and
 * nothing is reserved), a change renews the cart's reservations to
 * `reserveUntil` while they are live, or where every tracked product it
 * holds fits what other carts leave; a lapsed cart that does not fit stays
 * lapsed, so no change ever reserves units unchecked (an add or a raised
 * quantity checks its own product in its guard).
 */
export const renewedReservations: Renewal = sql`case when ${slot('reserveUntil')} is null then null
    when not ${lapsedShort()} then ${slot('reserveUntil')} else ${carts.reservedUntil} end`;

/**
 * With INVENTORY=reserve, a line change's renewal judged again once it is
 * made: a lapsed cart that a lowered quantity or a removal made fit is
 * renewed in the same step (renewedReservations judged it as it was).
 */
export const renewedAfter = compile(
  sql`update ${carts} set reserved_until = ${slot('reserveUntil')}
    where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')} and ${slot('reserveUntil')} is not null
      and ${lapsedFitting()}`,
);

/** A refusal no rule explains: the guard and the rules disagree, which is a bug, never a request's fault. */
const unexplained = (what: string) => new Error(`${what} was refused that the rules allow`);
