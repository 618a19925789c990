import { sql } from 'drizzle-orm';
import { MAX_AMOUNT } from '../cart/limits.js';
import { factsOf, values } from '../cart/model.js';
import type { Check, TaxSetRefusal } from '../cart/refusals.js';
import { cartChecks } from '../cart/rules.js';
import type { TaxLine } from '../cart/tax.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import { bodyOf, type CartDocument } from './cart-json.js';
import { slot } from './compiled.js';
import type { Db } from './db.js';
import { bumpWhere, byShape, type ChangeContext, changeValues, explained, runGuarded } from './guarded.js';
import { cartItems, carts } from './schema.js';
import { cartColumn, line, sqlFacts, sqlTerms } from './sql-rules.js';
import type { ExternalTax } from './tax-sql.js';

/*
 * A tax a tax service worked out (API.md §11, `TAX=external`), set on a
 * cart as one guarded change: the lines it names must be the cart's lines,
 * each once, in the step that sets it; the version moves, and the tax holds
 * for that version only (a later change makes it `stale`).
 */

export type SetTaxOutcome =
  | { applied: true; cart: CartDocument }
  | { applied: false; refusal: TaxSetRefusal; message: string; cart: CartDocument | undefined };

const now = sql`${slot('now')}`;
/** The cart row's line ids in id order, as JSON text (`[3,5,7]`). */
const lineIds = sql`(select json_group_array(${line(cartItems.id)} order by ${line(cartItems.id)})
  from ${cartItems} as ${sql.identifier('l')} where ${line(cartItems.cartId)} = ${cartColumn(carts.id)})`;

const setting = (m: ChangeContext) =>
  byShape('tax|set', m.when, (when) => {
    const facts = sqlFacts({ kind: 'clear' });
    const checks = cartChecks(sqlTerms, facts, when, now).map((check) => check.holds);
    return [
      bumpWhere(
        [
          ...checks,
          sql`${lineIds} = ${slot('lineIds')}`,
          sqlTerms.le(sqlTerms.add(facts.subtotal, sql`${slot('taxSum')}`), sqlTerms.lit(MAX_AMOUNT)),
        ],
        // In an UPDATE every expression reads the row as it was: version + 1 is the version it now has.
        { also: sql`external_tax = ${slot('tax')}, external_tax_version = ${carts.version} + 1` },
      ),
      visibleReadBack,
    ];
  });

/**
 * Sets the tax of the cart `m.cartId` to `tax` (each line's tax lines by
 * line id, the shipping's), in one batch; the version moves.
 *
 * @example
 * await setExternalTax(db, { cartId, now, ttlDays: 30, when: { ifMatch: ['"4"'] }, caller: ADMIN }, { items: { 12: [...] }, shipping: [] });
 */
export async function setExternalTax(db: Db, m: ChangeContext, tax: ExternalTax): Promise<SetTaxOutcome> {
  const { statements, values: tags } = setting(m);
  const ids = Object.keys(tax.items)
    .map(Number)
    .sort((a, b) => a - b);
  const taxLines: TaxLine[] = [...Object.values(tax.items).flat(), ...tax.shipping];
  const taxSum = taxLines.reduce((sum, line) => sum + BigInt(line.amount), 0n);
  const results = await runGuarded(db, statements, {
    ...tags,
    ...changeValues(m),
    lineIds: JSON.stringify(ids),
    // Past the cap the sum cannot be exact, and cannot fit either: any value past the cap refuses.
    taxSum: taxSum > BigInt(MAX_AMOUNT) ? MAX_AMOUNT + 1 : Number(taxSum),
    tax: JSON.stringify(tax),
  });
  const cart = documentOf(results[1]?.[0]);
  if ((results[0]?.length ?? 0) > 0 && cart !== undefined) return { applied: true, cart };
  const state = stateOf(cart, m.caller);
  const facts = factsOf(state, { kind: 'clear' });
  const held = state.lines.map((line) => line.id).sort((a, b) => a - b);
  const checks: Check<boolean | null, TaxSetRefusal>[] = [
    ...cartChecks(values, facts, m.when, BigInt(m.now)),
    { refusal: 'tax-lines-mismatch', holds: JSON.stringify(held) === JSON.stringify(ids) },
    {
      refusal: 'tax-over-limit',
      holds: BigInt(cart === undefined ? 0 : bodyOf(cart).subtotal) + taxSum <= BigInt(MAX_AMOUNT),
    },
  ];
  const judged = explained('setting a tax', checks, facts);
  if (judged.refusal !== 'tax-lines-mismatch') return { applied: false, ...judged, cart };
  const missing = held.filter((id) => !ids.includes(id));
  const foreign = ids.filter((id) => !held.includes(id));
  const which = [
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    foreign.length > 0 ? `not in the cart: ${foreign.join(', ')}` : '',
  ].filter((part) => part !== '');
  return { applied: false, refusal: judged.refusal, message: `${judged.message} (${which.join('; ')})`, cart };
}
