import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { reserving } from '../../data/guarded.js';
import { IDEMPOTENCY_REFUSALS, type IdempotencyRefusal, idempotency } from '../../platform/idempotency.js';
import { problem } from '../../platform/problem.js';

function refuse(c: Context<AppEnv>, why: IdempotencyRefusal) {
  const detail = IDEMPOTENCY_REFUSALS[why];
  if (why === 'in-flight') {
    c.header('Retry-After', '1');
    return problem(c, 409, 'idempotency-in-flight', detail);
  }
  if (why === 'key-reuse') return problem(c, 422, 'idempotency-key-reuse', detail);
  return problem(c, 400, 'validation-failed', detail, [
    { path: 'Idempotency-Key', message: 'A structured-field string or a bare key without " or ,; 1 to 255 characters' },
  ]);
}

/** Who a key belongs to (API.md §8): the admin, a customer, or an anonymous caller. */
const callerScope = (c: Context<AppEnv>) => {
  const caller = c.get('caller');
  return caller.admin ? 'admin' : caller.customerId === null ? 'anonymous' : `customer:${caller.customerId}`;
};

/**
 * A stored answer about a cart goes only to a caller who can still address
 * the cart (API.md §2: authorization before idempotency): a key an anonymous
 * holder used before a customer adopted the cart replays nothing to them.
 */
async function cartGone(c: Context<AppEnv>) {
  const cart = await c
    .get('store')
    .carts.read(c.req.param('cartId') ?? '', c.get('now')(), c.get('caller'), reserving(c.get('config')));
  return cart === undefined ? problem(c, 404, 'not-found', 'No cart with that id (it may have expired).') : undefined;
}

/**
 * Keys on cart creation are scoped to the caller: the admin, a customer, or
 * else the client's address. A replay hands back a cart id, and a key alone
 * must not be a way to learn somebody else's cart (API.md §2): a retry from
 * another address, or with another customer's token, simply creates another cart.
 */
export const creationIdempotency = idempotency({
  scope: async (c) => {
    const caller = callerScope(c);
    return caller === 'anonymous' ? `carts:client:${c.get('clientAddress')(c)}` : `carts:${caller}`;
  },
  refuse,
});

/**
 * Keys on a cart's routes are scoped to that cart and to the caller: only its
 * holders reach the scope, and a cart bound to a customer is never replayed
 * to anyone else (a stored answer is the whole cart).
 */
export const cartIdempotency = idempotency({
  scope: (c) => `cart:${c.req.param('cartId')}:${callerScope(c)}`,
  refuse,
  gone: cartGone,
});

/** Keys on the sign-in merge, scoped to the customer: a retried sign-in gets the same answer. */
export const mergeIdempotency = idempotency({ scope: (c) => `merge:${callerScope(c)}`, refuse });

/**
 * Keys on checkout, scoped to the cart. Only a placed order (or no such cart)
 * is replayed: a 409 or 412 is a state the buyer is expected to fix (prices
 * changed, an empty cart, a stale ETag), so a retry with the same key runs
 * again rather than replaying the refusal.
 */
export const checkoutIdempotency = idempotency({
  scope: (c) => `cart:${c.req.param('cartId')}:${callerScope(c)}`,
  refuse,
  gone: cartGone,
  keeps: (status) => (status >= 200 && status < 300) || status === 404,
});
