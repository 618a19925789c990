import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { isAdmin } from '../../platform/admin-auth.js';
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

/**
 * Keys on cart creation are scoped to the caller: the admin, or else the
 * client's address. A replay hands back a cart id, and a key alone must not
 * be a way to learn somebody else's cart (API.md §2): a retry from another
 * address simply creates another cart.
 */
export const creationIdempotency = idempotency({
  scope: async (c) => ((await isAdmin(c)) ? 'carts:admin' : `carts:client:${c.get('clientAddress')(c)}`),
  refuse,
});

/** Keys on a cart's routes are scoped to that cart: only its holders can reach the scope. */
export const cartIdempotency = idempotency({ scope: (c) => `cart:${c.req.param('cartId')}`, refuse });

/**
 * Keys on checkout, scoped to the cart. Only a placed order (or no such cart)
 * is replayed: a 409 or 412 is a state the buyer is expected to fix (prices
 * changed, an empty cart, a stale ETag), so a retry with the same key runs
 * again rather than replaying the refusal.
 */
export const checkoutIdempotency = idempotency({
  scope: (c) => `cart:${c.req.param('cartId')}`,
  refuse,
  keeps: (status) => (status >= 200 && status < 300) || status === 404,
});
