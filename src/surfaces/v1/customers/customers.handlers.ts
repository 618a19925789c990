import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import { DEFAULT_CART_ID, isCartId } from '../../../cart/ids.js';
import { MERGE_REASONS } from '../../../cart/refusals.js';
import { bodyOf } from '../../../data/cart-json.js';
import { shownBody, viewSettingOf } from '../../../data/cart-view.js';
import { reserveMinutesOf, reserving } from '../../../data/guarded.js';
import { problem } from '../../../platform/problem.js';
import { sendCart } from '../cart-answers.js';
import { orderPage } from '../paging.js';
import { refusalProblem } from '../refusals.js';
import type * as r from './customers.routes.js';

type Ctx = Context<AppEnv>;

/** The customer a `me` route runs for: requireCustomer let only customers through. */
const me = (c: Ctx) => c.get('caller').customerId as string;

const noCart = (c: Ctx) => problem(c, 404, 'not-found', MERGE_REASONS['cart-not-found']);

export const getMyCart: RouteHandler<typeof r.getMyCart, AppEnv> = async (c) => {
  const cart = await c.get('store').carts.customerCart(me(c), c.get('now')(), reserving(c.get('config')));
  return cart === undefined ? problem(c, 404, 'not-found', 'The customer has no open cart.') : sendCart(c, cart, 200);
};

export const listMyOrders: RouteHandler<typeof r.listMyOrders, AppEnv> = (c) =>
  orderPage(c, c.req.valid('query'), me(c));

/** Where a cart body's warnings begin: metadata, attributes and addresses hold no arrays, so only that key can. */
const WARNINGS = '"warnings":[';

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
    reserveMinutes: reserveMinutesOf(c.get('config')),
  });
  if (!outcome.merged) {
    const { refusal, cart } = outcome;
    // A closed cart names the order it became, as every change refused on one does.
    const members =
      refusal === 'cart-closed' ? { order_id: cart === undefined ? null : bodyOf(cart).order_id } : undefined;
    return refusalProblem(c, refusal, MERGE_REASONS[refusal], undefined, members);
  }
  // The cart, as every answer shows it, with the merge's warnings written before its own (the text is
  // spliced, not parsed again: a total past 2^53 − 1 stays exact). No text a buyer sets can hold the marker.
  const shown = shownBody(outcome.cart, now, viewSettingOf(c.get('config')));
  const at = shown.indexOf(WARNINGS) + WARNINGS.length;
  const merged = outcome.warnings.map((warning) => JSON.stringify(warning)).join(',');
  const own = shown[at] === ']' ? '' : ',';
  const body = merged === '' ? shown : `${shown.slice(0, at)}${merged}${own}${shown.slice(at)}`;
  c.header('ETag', `"${outcome.cart.version}"`);
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<import('zod').infer<typeof r.mergedCartSchema>, 200, 'json'>;
};
