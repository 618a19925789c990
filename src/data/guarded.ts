import { sql } from 'drizzle-orm';
import type { Facts } from '../cart/algebra.js';
import type { Caller } from '../cart/caller.js';
import type { LineChange, Preconditions } from '../cart/changes.js';
import { type CatalogRead, factsOf, firstFailing, holds } from '../cart/model.js';
import { type Check, explain, type Refusal } from '../cart/refusals.js';
import { stateOf } from './cart-document.js';
import type { CartDocument } from './cart-json.js';
import { slot } from './compiled.js';
import { carts } from './schema.js';

/** What every change needs to know besides the change itself. */
export interface ChangeContext {
  cartId: string;
  now: number;
  ttlDays: number;
  when: Preconditions;
  /** Who asks: a cart bound to a customer exists only for them and the admin. */
  caller: Caller;
}

/** The statement values that say who asks (sql-rules.ts visibleCart). */
export const callerValues = (caller: Caller) => ({ caller: caller.customerId, admin: caller.admin ? 1 : 0 });

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
}

/** Explains a refusal from the state read back in the step the guard refused it. */
export function refusedOutcome<R extends Refusal>(
  document: CartDocument | undefined,
  caller: Caller,
  change: LineChange,
  checks: (facts: Facts<bigint | null, boolean | null>, change: LineChange) => Check<boolean | null, R>[],
  catalog?: CatalogRead,
): Refused<R> {
  const facts = factsOf({ ...stateOf(document, caller), catalog }, change);
  const refusal = firstFailing(checks(facts, change), holds);
  // The guard and the rules are one description: a refusal no rule explains is a bug.
  if (refusal === undefined) throw unexplained('a change');
  return { applied: false, refusal, message: explain(refusal, facts, change), cart: document };
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
 * moves, the change's time (the slot `now`) and renewed expiry, and its
 * stamp (the slot `op`, or the one named).
 *
 * @example
 * compile(sql`update ${carts} set ${bumpSet()} where ${carts.id} = ${slot('cartId')} and ${guard}`);
 */
export const bumpSet = (op = 'op') =>
  sql`version = ${carts.version} + 1, updated_at = ${slot('now')}, expires_at = ${renewedExpiry}, last_op = ${slot(op)}`;

/** A refusal no rule explains: the guard and the rules disagree, which is a bug, never a request's fault. */
export const unexplained = (what: string) => new Error(`${what} was refused that the rules allow`);
