import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import { DEFAULT_CART_ID, isCartId } from '../../../cart/ids.js';
import { bodyOf, discountedBody } from '../../../data/cart-json.js';
import { problem } from '../../../platform/problem.js';
import { sendCart } from '../cart-answers.js';
import { orderPage } from '../paging.js';
import { refusalProblem } from '../refusals.js';
import type * as r from './customers.routes.js';

type Ctx = Context<AppEnv>;

/** The customer a `me` route runs for: requireCustomer let only customers through. */
const me = (c: Ctx) => c.get('caller').customerId as string;

const noCart = (c: Ctx) => problem(c, 404, 'not-found', 'No such cart (it may have expired).');

export const getMyCart: RouteHandler<typeof r.getMyCart, AppEnv> = async (c) => {
  const cart = await c.get('store').carts.customerCart(me(c), c.get('now')());
  return cart === undefined ? problem(c, 404, 'not-found', 'The customer has no open cart.') : sendCart(c, cart, 200);
};

export const listMyOrders: RouteHandler<typeof r.listMyOrders, AppEnv> = (c) =>
  orderPage(c, c.req.valid('query'), me(c));

export const mergeMyCart: RouteHandler<typeof r.mergeMyCart, AppEnv> = async (c) => {
  const { cart_id, mode } = c.req.valid('json');
  // The classic surface's default cart is behind the admin token, and nobody's to take.
  if (!isCartId(cart_id) || cart_id === DEFAULT_CART_ID) return noCart(c);
  const now = c.get('now')();
  const outcome = await c.get('store').carts.merge({
    anonymousId: cart_id,
    customerId: me(c),
    mode,
    now,
    ttlDays: c.get('config').CART_TTL_DAYS,
  });
  if (!outcome.merged) {
    if (outcome.refusal === 'cart-not-found') return noCart(c);
    if (outcome.refusal === 'cart-closed') {
      const order_id = outcome.cart === undefined ? null : bodyOf(outcome.cart).order_id;
      return refusalProblem(c, 'cart-closed', 'The anonymous cart has been checked out.', undefined, { order_id });
    }
    if (outcome.refusal === 'cart-permanent')
      return problem(c, 409, 'conflict', 'The default cart cannot be merged into a customer’s cart.');
    if (outcome.refusal === 'already-merged')
      return problem(c, 409, 'conflict', 'The cart is already the customer’s: there is nothing to merge.');
    if (outcome.refusal === 'currency-differs')
      return problem(
        c,
        409,
        'conflict',
        'The anonymous cart is in another currency than the customer’s open cart; nothing was merged.',
      );
    return problem(c, 409, 'conflict', 'The carts kept changing during the merge; try again.');
  }
  // The cart, as every answer shows it, with the merge's warnings as one more field.
  const body = `${discountedBody(outcome.cart, now).slice(0, -1)},"warnings":${JSON.stringify(outcome.warnings)}}`;
  c.header('ETag', `"${outcome.cart.version}"`);
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<import('zod').infer<typeof r.mergedCartSchema>, 200, 'json'>;
};
