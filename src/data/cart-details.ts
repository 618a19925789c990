import { type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import {
  ADDRESS_FIELDS,
  type Address,
  type CartDetails,
  DETAILS_LIMITS,
  type DetailsPatch,
  detailsProblems,
  patchedDetails,
  REQUIRED_ADDRESS_FIELDS,
} from '../cart/details.js';
import { factsOf, holds, values } from '../cart/model.js';
import type { Check, DetailsRefusal } from '../cart/refusals.js';
import { cartChecks } from '../cart/rules.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import { bodyOf, type CartDocument } from './cart-json.js';
import { slot } from './compiled.js';
import type { Db } from './db.js';
import { bumpWhere, byShape, type ChangeContext, changeValues, explained, runGuarded } from './guarded.js';
import { carts } from './schema.js';
import { cartColumn, sqlFacts, sqlTerms } from './sql-rules.js';

/*
 * A merge patch of a cart's details (API.md §10) as one guarded change: the
 * database merges each member (json_patch is RFC 7396), and the guard
 * requires what the patched whole must be (cart/details.ts detailsProblems,
 * rendered from the same lists), so a patch applies whole or not at all.
 */

const MEMBERS = ['email', 'note', 'attributes', 'shipping_address', 'billing_address'] as const;
type Member = (typeof MEMBERS)[number];
const COLUMN: Record<Member, AnySQLiteColumn> = {
  email: carts.email,
  note: carts.note,
  attributes: carts.attributes,
  shipping_address: carts.shippingAddress,
  billing_address: carts.billingAddress,
};

/** What decides a patch's statement text: each member left out (`-`), removed (`null`) or set (`v`). */
const shapeOf = (patch: DetailsPatch) =>
  MEMBERS.map((member) => (patch[member] === undefined ? '-' : patch[member] === null ? 'null' : 'v')).join('|');

const field = (json: SQL, name: string) => sql`json_extract(${json}, ${`$.${name}`})`;

/** The guard's terms and the SET clauses of a patch of this shape. */
function patchSql(shape: string) {
  const kinds = shape.split('|');
  const sets: SQL[] = [];
  const valid: SQL[] = [];
  MEMBERS.forEach((member, index) => {
    const kind = kinds[index];
    if (kind === '-') return;
    const column = COLUMN[member];
    const name = sql.identifier(column.name);
    if (member === 'email' || member === 'note') {
      sets.push(sql`${name} = ${slot(member)}`);
      return;
    }
    if (member === 'attributes') {
      const merged = sql`json_patch(${cartColumn(column)}, ${slot(member)})`;
      if (kind === 'null') sets.push(sql`${name} = '{}'`);
      else {
        sets.push(sql`${name} = ${merged}`);
        valid.push(sql`(select count(*) from json_each(${merged})) <= ${sql.raw(String(DETAILS_LIMITS.attributes))}`);
      }
      return;
    }
    if (kind === 'null') {
      sets.push(sql`${name} = null`);
      return;
    }
    const merged = sql`json_patch(coalesce(${cartColumn(column)}, '{}'), ${slot(member)})`;
    sets.push(sql`${name} = ${merged}`);
    for (const required of REQUIRED_ADDRESS_FIELDS) valid.push(sql`json_type(${merged}, ${`$.${required}`}) = 'text'`);
    valid.push(
      sql`(${field(merged, 'region')} is null or substr(${field(merged, 'region')}, 1, 3) = ${field(merged, 'country')} || '-')`,
    );
  });
  return { sets, valid };
}

/** A cart's details as stored, from its document (the cart shows every address field, null where unset). */
export function detailsOf(document: CartDocument): CartDetails {
  const body = bodyOf(document) as unknown as Record<Member, unknown>;
  const stored = (address: unknown): Address | null =>
    address === null || address === undefined
      ? null
      : Object.fromEntries(
          ADDRESS_FIELDS.flatMap((name) => {
            const value = (address as Record<string, string | null>)[name];
            return value === null || value === undefined ? [] : [[name, value]];
          }),
        );
  return {
    email: (body.email ?? null) as string | null,
    note: (body.note ?? null) as string | null,
    attributes: (body.attributes ?? {}) as Record<string, string>,
    shipping_address: stored(body.shipping_address),
    billing_address: stored(body.billing_address),
  };
}

export type DetailsOutcome =
  | { applied: true; cart: CartDocument }
  | {
      applied: false;
      refusal: DetailsRefusal;
      message: string;
      cart: CartDocument | undefined;
      /** For `details-invalid`: each offending path of the patched whole. */
      errors: Array<{ path: string; message: string }>;
    };

/**
 * Applies a merge patch of the details to a cart in one batch (one round
 * trip): version + 1 where the cart rules hold and the patched whole is
 * valid; otherwise nothing, and the refusal explained from the state read
 * back in the same step.
 *
 * @example
 * await patchDetails(db, { cartId, now, ttlDays: 30, when: {}, caller }, { shipping_address: { city: 'Bonn' } });
 */
export async function patchDetails(db: Db, m: ChangeContext, patch: DetailsPatch): Promise<DetailsOutcome> {
  const shape = shapeOf(patch);
  const { statements, values: tags } = byShape(`details|${shape}`, m.when, (when) => {
    const { sets, valid } = patchSql(shape);
    // `{}` changes nothing: the cart is read back, and judged by the cart rules alone.
    if (sets.length === 0) return [visibleReadBack];
    const checks = cartChecks(sqlTerms, sqlFacts({ kind: 'clear' }), when, sql`${slot('now')}`);
    return [
      bumpWhere([...checks.map((check) => check.holds), ...valid], { also: sql.join(sets, sql`, `) }),
      visibleReadBack,
    ];
  });
  const given: Record<string, unknown> = { ...tags, ...changeValues(m) };
  for (const member of MEMBERS) {
    const value = patch[member];
    if (value === undefined) continue;
    given[member] = member === 'email' || member === 'note' || value === null ? value : JSON.stringify(value);
  }
  const results = await runGuarded(db, statements, given);
  const cart = documentOf(results.at(-1)?.[0]);
  const state = stateOf(cart, m.caller);
  const facts = factsOf(state, { kind: 'clear' });
  const bumped =
    statements.length === 1
      ? cartChecks(values, facts, m.when, BigInt(m.now)).every((c) => holds(c.holds))
      : (results[0]?.length ?? 0) > 0;
  if (bumped && cart !== undefined) return { applied: true, cart };
  const errors =
    cart === undefined || state.cart === undefined ? [] : detailsProblems(patchedDetails(detailsOf(cart), patch));
  const checks: Check<boolean | null, DetailsRefusal>[] = [
    ...cartChecks(values, facts, m.when, BigInt(m.now)),
    { refusal: 'details-invalid', holds: errors.length === 0 },
  ];
  return { applied: false, ...explained('a change of details', checks, facts), cart, errors };
}
