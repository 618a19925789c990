import { sql } from 'drizzle-orm';
import { rateFactsOf } from '../cart/delivery.js';
import { factsOf, firstFailing, holds, values } from '../cart/model.js';
import {
  type CartRefusal,
  type Check,
  DELIVERY_REASONS,
  explain,
  type Refusal,
  type SelectRefusal,
} from '../cart/refusals.js';
import { cartChecks, delivers, deliveryChecks } from '../cart/rules.js';
import { documentOf, stateOf, visibleReadBack } from './cart-document.js';
import type { CartDocument } from './cart-json.js';
import { deliveryDataOf } from './cart-view.js';
import { compile, slot } from './compiled.js';
import type { Db } from './db.js';
import { rateName, rateRecordOf, rateRowOf, selected, sqlRateFacts } from './delivery-sql.js';
import { type DiscountPlan, guessed, planCurrent, planOf } from './discount-plan.js';
import { bumpWhere, byShape, type ChangeContext, changeValues, explained, runGuarded } from './guarded.js';
import type { RecentCarts } from './recent-carts.js';
import { carts } from './schema.js';
import { cartColumn, discountsCurrent, sqlFacts, sqlTerms } from './sql-rules.js';

/*
 * Selecting a cart's delivery (API.md §10) as one guarded change: the rate
 * named must deliver the cart in the step that selects it (rules.ts
 * deliveryChecks, on the merchandise total after the cart's discounts,
 * worked out as checkout works them out: discount-plan.ts). Clearing it is
 * a guarded change too.
 */

type Outcome<R extends Refusal> =
  | { applied: true; cart: CartDocument }
  | { applied: false; refusal: R; message: string; cart: CartDocument | undefined };
export type SelectOutcome = Outcome<SelectRefusal | 'cart-changed'>;
export type ClearOutcome = Outcome<CartRefusal>;

const now = sql`${slot('now')}`;
const requested = sqlRateFacts(sql`${slot('optionId')}`);

/** The statements of a selection, and of a clearing, for one shape of preconditions. */
const selecting = (flow: 'select' | 'clear', m: ChangeContext) =>
  byShape(`delivery|${flow}`, m.when, (when) => {
    const facts = sqlFacts({ kind: 'clear' });
    const checks = cartChecks(sqlTerms, facts, when, now).map((check) => check.holds);
    if (flow === 'clear')
      return [
        bumpWhere([...checks, selected], { also: sql`delivery_option_id = null, delivery_name = null` }),
        visibleReadBack,
      ];
    const merchandise = sqlTerms.sub(facts.subtotal, sql`${slot('discountTotal')}`);
    return [
      bumpWhere([...checks, discountsCurrent, delivers(sqlTerms, requested, merchandise)], {
        also: sql`delivery_option_id = ${slot('optionId')}, delivery_name = ${rateName(sql`${slot('optionId')}`)}`,
      }),
      visibleReadBack,
      // The rate named as the cart sees it, to explain a refusal.
      compile(sql`select ${rateRowOf(sql`${slot('optionId')}`)} from ${carts}
        where ${cartColumn(carts.id)} = ${slot('cartId')}`),
    ];
  });

/** How often a selection works the discounts out again for a cart that changed under it. */
const ATTEMPTS = 5;

/**
 * Selects the rate `optionId` as the cart's delivery, in one batch where the cart's discounts are as this process
 * last read them (or it holds none); a cart whose discounts moved is tried
 * again with them worked out from the state that attempt read back.
 *
 * @example
 * await selectDelivery(db, { cartId, now, ttlDays: 30, when: {}, caller }, 'standard-eu', recent);
 */
export async function selectDelivery(
  db: Db,
  m: ChangeContext,
  optionId: string,
  recent: RecentCarts,
): Promise<SelectOutcome> {
  let plan = guessed(recent.get(m.cartId), m);
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptSelect(db, m, optionId, plan);
    recent.note(m.cartId, outcome.cart);
    if (outcome.applied || outcome.refusal !== 'cart-changed' || outcome.cart === undefined || attempt === ATTEMPTS)
      return outcome;
    plan = planOf(outcome.cart, m.now);
  }
}

async function attemptSelect(db: Db, m: ChangeContext, optionId: string, plan: DiscountPlan): Promise<SelectOutcome> {
  const { statements, values: tags } = selecting('select', m);
  const results = await runGuarded(db, statements, { ...tags, ...changeValues(m), ...plan, optionId });
  const cart = documentOf(results[1]?.[0]);
  if ((results[0]?.length ?? 0) > 0 && cart !== undefined) return { applied: true, cart };
  const facts = factsOf(stateOf(cart, m.caller), { kind: 'clear' });
  const row = results[2]?.[0]?.[0];
  const rate = rateFactsOf(
    typeof row === 'string' ? rateRecordOf(JSON.parse(row)) : undefined,
    deliveryDataOf(cart)?.addressed ?? false,
  );
  const merchandise = values.sub(facts.subtotal, BigInt(plan.discountTotal));
  const checks: Check<boolean | null, SelectRefusal | 'cart-changed'>[] = [
    ...cartChecks(values, facts, m.when, BigInt(m.now)),
    { refusal: 'cart-changed', holds: planCurrent(plan, cart) },
    { refusal: 'delivery-unavailable', holds: delivers(values, rate, merchandise) },
  ];
  const judged = explained('a delivery selection', checks, facts);
  if (judged.refusal !== 'delivery-unavailable') return { applied: false, ...judged, cart };
  const why = firstFailing(deliveryChecks(values, rate, merchandise), holds);
  const message = `${explain('delivery-unavailable', facts, { kind: 'clear' })} ${why === undefined ? '' : DELIVERY_REASONS[why]}`;
  return { applied: false, refusal: 'delivery-unavailable', message: message.trim(), cart };
}

/** Clears the cart's delivery in one batch; a cart with none is answered as it is. */
export async function clearDelivery(db: Db, m: ChangeContext): Promise<ClearOutcome> {
  const { statements, values: tags } = selecting('clear', m);
  const results = await runGuarded(db, statements, { ...tags, ...changeValues(m) });
  const cart = documentOf(results[1]?.[0]);
  const facts = factsOf(stateOf(cart, m.caller), { kind: 'clear' });
  const checks = cartChecks(values, facts, m.when, BigInt(m.now));
  // Nothing selected: nothing to clear, and the cart is answered as it is.
  if (cart !== undefined && ((results[0]?.length ?? 0) > 0 || checks.every((check) => holds(check.holds))))
    return { applied: true, cart };
  return { applied: false, ...explained('clearing a delivery', checks, facts), cart };
}
