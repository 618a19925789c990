import { getTableName, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type Algebra, type Facts, type LineChange, MERGE_KEY } from '../cart/rules.js';
import { cartItems, carts } from './schema.js';

const integer = (value: number) => {
  // Only integers reach SQL text; anything else is a bug upstream, never input.
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
  return sql.raw(String(value));
};

/**
 * The cart rules rendered as SQL (rules.ts): the guard of a change's first
 * statement. Request values are bound parameters (an If-Match list is at most
 * 32 tags, so no header can push a statement past D1's 100); the rules'
 * constants are written as integers.
 */
const TRUE = sql.raw('1');
const FALSE = sql.raw('0');

export const sqlTerms: Algebra<SQL, SQL> = {
  num: (value) => sql`${value}`,
  lit: integer,
  // The constants are folded away below, so a rule that does not apply to a
  // change (a classic line's quantity floor, say) costs the statement nothing.
  bool: (value) => (value ? TRUE : FALSE),
  add: (a, b) => sql`(${a} + ${b})`,
  sub: (a, b) => sql`(${a} - ${b})`,
  mul: (a, b) => sql`(${a} * ${b})`,
  le: (a, b) => sql`(${a} <= ${b})`,
  lt: (a, b) => sql`(${a} < ${b})`,
  gt: (a, b) => sql`(${a} > ${b})`,
  ge: (a, b) => sql`(${a} >= ${b})`,
  oneOf: (a, list) =>
    list.length === 0
      ? FALSE
      : sql`(${a} in (${sql.join(
          list.map((v) => sql`${v}`),
          sql`, `,
        )}))`,
  isNull: (a) => sql`(${a} is null)`,
  and: (...terms) => {
    if (terms.includes(FALSE)) return FALSE;
    const kept = terms.filter((term) => term !== TRUE);
    return kept.length === 0 ? TRUE : kept.length === 1 ? (kept[0] as SQL) : sql`(${sql.join(kept, sql` and `)})`;
  },
  or: (...terms) => {
    if (terms.includes(TRUE)) return TRUE;
    const kept = terms.filter((term) => term !== FALSE);
    return kept.length === 0 ? FALSE : kept.length === 1 ? (kept[0] as SQL) : sql`(${sql.join(kept, sql` or `)})`;
  },
  not: (term) => (term === TRUE ? FALSE : term === FALSE ? TRUE : sql`(not ${term})`),
};

/**
 * Columns written out with their table (or alias) name: drizzle leaves them
 * bare inside RETURNING, where a bare `id` in a sub-query would name the
 * wrong table's column.
 */
const qualified = (table: string, column: AnySQLiteColumn) =>
  sql`${sql.identifier(table)}.${sql.identifier(column.name)}`;

/** A column of the cart row a statement is about. */
export const cartColumn = (column: AnySQLiteColumn) => qualified(getTableName(carts), column);

const CART_ID = cartColumn(carts.id);
const line = (column: AnySQLiteColumn) => qualified('l', column);
const other = (column: AnySQLiteColumn) => qualified('o', column);
const LINES = sql`${cartItems} as ${sql.identifier('l')}`;

/** The lines of the cart row a statement is about, as `l`, narrowed by `where`. */
const linesWhere = (where?: SQL) =>
  where === undefined
    ? sql`from ${LINES} where ${line(cartItems.cartId)} = ${CART_ID}`
    : sql`from ${LINES} where ${line(cartItems.cartId)} = ${CART_ID} and ${where}`;

/** The line a change addresses, as a condition on `l`. */
function targetWhere(change: LineChange): SQL {
  if (change.kind === 'add') {
    // A line without a product merges with nothing.
    if (change.line.productId === null) return sqlTerms.bool(false);
    const { line: added } = change;
    return sql.join(
      MERGE_KEY.map((column) => sql`${line(cartItems[column])} = ${added[column]}`),
      sql` and `,
    );
  }
  if (change.kind === 'update' || change.kind === 'remove') return sql`${line(cartItems.id)} = ${change.lineId}`;
  return sqlTerms.bool(false);
}

/**
 * The facts of rules.ts for the cart row a statement is about (correlated to
 * `carts`), as SQL sub-queries over its lines.
 */
export function sqlFacts(change: LineChange): Facts<SQL, SQL> {
  const target = targetWhere(change);
  const of = (column: AnySQLiteColumn) => sql`coalesce((select ${line(column)} ${linesWhere(target)}), 0)`;
  let clash: SQL = sqlTerms.bool(false);
  if (change.kind === 'update' && (change.set.unitPrice !== undefined || change.set.metadata !== undefined)) {
    const { set } = change;
    const after = (column: (typeof MERGE_KEY)[number]) => {
      const value = column === 'productId' ? undefined : set[column];
      return value === undefined ? sql`(select ${line(cartItems[column])} ${linesWhere(target)})` : sql`${value}`;
    };
    const sameKey = sql.join(
      MERGE_KEY.map((column) => sql`${other(cartItems[column])} = ${after(column)}`),
      sql` and `,
    );
    clash = sql`exists (select 1 from ${cartItems} as ${sql.identifier('o')} where ${other(cartItems.cartId)} = ${CART_ID}
      and ${other(cartItems.id)} <> ${change.lineId} and ${sameKey})`;
  }
  return {
    exists: sqlTerms.bool(true),
    expiresAt: cartColumn(carts.expiresAt),
    version: cartColumn(carts.version),
    lineCount: sql`(select count(*) ${linesWhere()})`,
    // total() never overflows (sum() would raise on a corrupt cart) and is exact up to 2^53, the cap.
    subtotal: sql`(select total(${line(cartItems.unitPrice)} * ${line(cartItems.quantity)}) ${linesWhere()})`,
    target: {
      exists: sql`exists (select 1 ${linesWhere(target)})`,
      quantity: of(cartItems.quantity),
      unitPrice: of(cartItems.unitPrice),
      keyed: sql`exists (select 1 ${linesWhere(sql`${target} and ${line(cartItems.productId)} is not null`)})`,
    },
    clash,
  };
}
