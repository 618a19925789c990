import { createRoute, z } from '@hono/zod-openapi';
import { LIMITS } from '../../../cart/limits.js';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import { cartIdParam } from '../carts/carts.schemas.js';
import { checkoutIdempotency } from '../idempotency.js';
import {
  adminSecurity,
  bodyErrors,
  bookmarkRefused,
  cartSecurity,
  defaultCartAuth,
  etagHeader,
  everywhere,
  idempotencyKey,
  ifMatch,
  ifMatchOnly,
  jsonBody,
  pageResponse,
  preconditionFailed,
  problem,
  replayHeaders,
} from '../responses.js';
import { checkoutSchema, orderIdParam, orderMoveSchema, orderSchema } from './orders.schemas.js';

const orderContent = { 'application/json': { schema: orderSchema } };
const orderEtag = {
  ETag: { description: 'The order version as a strong entity tag, e.g. `"2"`.', schema: { type: 'string' as const } },
};

export const checkout = createRoute({
  operationId: 'checkoutCart',
  method: 'post',
  path: '/carts/{cartId}/checkout',
  tags: ['Orders'],
  summary: 'Check a cart out',
  description:
    "Turns the cart into an order, in one atomic step with closing the cart and recording `order.placed`. With `PRICES=catalog`, a line whose product's price changed since it was added refuses the checkout (`prices-changed`) and is repriced in the same step: check out again with the new ETag. The delivery selected is charged at the rate's amount in that same step; the order's `total` is `subtotal` − `discount_total` + `shipping_total` (+ `tax_total` where prices exclude tax). With `TAX` set, the tax is worked out from the tax rates as they are in that same step. With `INVENTORY=track` or `reserve`, the units of every tracked product are taken from stock in that same step, all of them or none (with `reserve`, a cart whose reservation is live takes from what is on hand first come first served; a lapsed one only what other carts do not hold).",
  security: cartSecurity,
  middleware: [checkoutIdempotency],
  request: {
    params: cartIdParam,
    headers: ifMatch.merge(idempotencyKey).merge(bookmarkHeader),
    body: jsonBody(checkoutSchema, false),
  },
  responses: withBookmark({
    201: {
      description: 'The order.',
      headers: {
        ...replayHeaders,
        ...orderEtag,
        Location: { description: 'The order URL.', schema: { type: 'string' as const } },
      },
      content: orderContent,
    },
    ...bodyErrors,
    422: problem(
      'The body breaks the schema (`validation-failed`; `errors` lists every offending path), an Idempotency-Key is reused with another body (`idempotency-key-reuse`), or the total with tax added would pass 2^53 − 1 (`validation-failed`; nothing changes).',
    ),
    404: problem('No such cart, or it expired (`not-found`).'),
    ...defaultCartAuth,
    409: {
      ...problem(
        'The cart has no lines (`cart-empty`), was already checked out (`cart-closed`, with `order_id`), its prices changed (`prices-changed`: `errors` lists each line with `old_price` and `new_price`, the cart is repriced and its new ETag sent), its total is not `expected_total` (`total-changed`, with `total` and `cart`; nothing changes), it holds goods to ship while a shipping rate is active but has no delivery selected (`delivery-required`) or one that no longer applies (`delivery-unavailable`), its tax is not known (`tax-pending`: no address to tax by, or no tax set) or was set for an earlier version (`tax-stale`), with `INVENTORY=track` or `reserve` it holds more of a tracked product than it may take (`insufficient-stock`: `errors` lists each short line with `available`; nothing changes), or the same Idempotency-Key is still running (`idempotency-in-flight`).',
      ),
      headers: etagHeader,
    },
    ...preconditionFailed,
    ...everywhere,
  }),
});

export const moveOrder = createRoute({
  operationId: 'moveOrder',
  method: 'patch',
  path: '/admin/orders/{orderId}',
  tags: ['Admin'],
  summary: 'Move an order along its lifecycle',
  description:
    'Moves the order `placed` → `paid` → `fulfilled`, or `placed` | `paid` → `cancelled`, in one atomic step with recording `order.paid`, `order.fulfilled` or `order.cancelled` (the order as it is after the move). Cancelling gives back the redemption of each code the order was placed with, and the stock it took, in that same step. Each move appends to `status_history` and moves `version`.',
  security: adminSecurity,
  request: {
    params: orderIdParam,
    headers: ifMatchOnly('Move', 'the order'),
    body: jsonBody(orderMoveSchema, true),
  },
  responses: withBookmark({
    200: { description: 'The order after the move.', headers: orderEtag, content: orderContent },
    ...bodyErrors,
    ...adminErrors,
    404: problem('No order with that id (`not-found`).'),
    409: problem(
      'The order cannot move to that status from the one it is in, the same status included (`transition-invalid`; `order_status` is where it is, `allowed` where it may go).',
    ),
    412: {
      ...problem('`If-Match` does not hold; nothing changed (`precondition-failed`).'),
      headers: orderEtag,
    },
    422: problem('An unknown status, or another field that breaks the schema (`validation-failed`).'),
    ...everywhere,
  }),
});

export const getOrder = createRoute({
  operationId: 'getOrder',
  method: 'get',
  path: '/orders/{orderId}',
  tags: ['Orders'],
  summary: 'Read an order',
  description:
    'The order id is a capability, as a cart id is: whoever holds it may read the order, but the order of a cart bound to a customer answers only to that customer’s token or the admin’s (404 to anyone else).',
  security: cartSecurity,
  request: { params: orderIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: { description: 'The order.', headers: orderEtag, content: orderContent },
    ...bookmarkRefused,
    404: problem('No order with that id (`not-found`).'),
    ...everywhere,
  }),
});

export const listOrders = createRoute({
  operationId: 'listOrders',
  method: 'get',
  path: '/admin/orders',
  tags: ['Admin'],
  summary: 'List orders',
  description: 'Every order, newest first.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('orders', orderSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});
