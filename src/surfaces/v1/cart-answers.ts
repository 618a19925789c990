import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { isCartId } from '../../cart/ids.js';
import type { Refusal } from '../../cart/refusals.js';
import { etagOf } from '../../cart/view.js';
import { bodyOf, type CartDocument } from '../../data/cart-json.js';
import { shownBody, viewSettingOf } from '../../data/cart-view.js';
import { type ChangeContext, type Refused, reserveMinutesOf } from '../../data/guarded.js';
import { preconditions } from '../../platform/conditional.js';
import { problem } from '../../platform/problem.js';
import type { CartView } from './carts/carts.schemas.js';
import { conditionProblem, refusalProblem } from './refusals.js';

/** How /v1 answers about a cart: the context of a change to it, the cart itself, a refused change. */

type Ctx = Context<AppEnv>;

export const noCart = (c: Ctx) => problem(c, 404, 'not-found', 'No cart with that id (it may have expired).');

/** The change context of a request to a cart, or the answer that ends it (a malformed id or header). */
export function changeContext(c: Ctx) {
  const cartId = c.req.param('cartId') ?? '';
  if (!isCartId(cartId)) return noCart(c);
  const when = preconditions(c.req.header('if-match'), c.req.header('if-none-match'));
  if ('problem' in when) return conditionProblem(c, when.header, when.problem);
  const m: ChangeContext = {
    cartId,
    when,
    now: c.get('now')(),
    ttlDays: c.get('config').CART_TTL_DAYS,
    caller: c.get('caller'),
    reserveMinutes: reserveMinutesOf(c.get('config')),
  };
  return m;
}

/**
 * The cart and its ETag as an answer. The body is the JSON the database built
 * (data/cart-json.ts), with its discount codes worked out at this request's
 * time; its type is the documented Cart, which every answer of the shared
 * suites is checked against.
 */
export function sendCart<S extends 200 | 201>(c: Ctx, cart: CartDocument, status: S) {
  c.header('ETag', etagOf(cart));
  return c.body(shownBody(cart, c.get('now')(), viewSettingOf(c.get('config'))), status, {
    'Content-Type': 'application/json',
  }) as unknown as Response & TypedResponse<CartView, S, 'json'>;
}

/**
 * The answer to a refused change: the refusal as a problem, with the current
 * ETag on a 412 and the order a closed cart became on a `cart-closed`.
 */
export function refused<R extends Refusal>(
  c: Ctx,
  outcome: Pick<Refused<R>, 'refusal' | 'message' | 'cart' | 'available'>,
) {
  if (outcome.refusal === 'precondition-failed' && outcome.cart) c.header('ETag', etagOf(outcome.cart));
  if (outcome.refusal === 'cart-closed' && outcome.cart) {
    const { order_id } = bodyOf(outcome.cart);
    return refusalProblem(c, outcome.refusal, outcome.message, undefined, { order_id });
  }
  // With INVENTORY=reserve, how many of the product the cart may hold in all (README, Stock).
  if (outcome.available !== undefined)
    return refusalProblem(c, outcome.refusal, outcome.message, undefined, { available: outcome.available });
  return refusalProblem(c, outcome.refusal, outcome.message);
}
