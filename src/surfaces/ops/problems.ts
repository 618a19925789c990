import type { Context } from 'hono';
import { TITLES } from '../../platform/problem.js';

/** What each problem type means, served at its `type` URI. */
const DESCRIPTIONS: Record<keyof typeof TITLES, string> = {
  'malformed-json': 'The request body is not valid JSON.',
  'bad-request': 'The request could not be read as HTTP the service understands.',
  unauthorized: 'The route needs Authorization: Bearer <admin token> and none was sent.',
  forbidden: 'The admin token is wrong, or admin routes are disabled because ADMIN_TOKEN is not set.',
  'not-found': 'No such cart (or it expired), no such line in that cart, or no such route.',
  'method-not-allowed': 'The route exists but not for this method; the Allow header lists the methods it takes.',
  'cart-full': 'The cart already holds as many lines as it may (250 by default).',
  'cart-closed':
    'The cart has been checked out: it can be read but takes no change. order_id names the order it became.',
  'cart-empty': 'A cart with no lines cannot be checked out.',
  'prices-changed':
    "Some catalog lines no longer carry the catalog's price. The cart was repriced in the same step; errors lists each line with old_price and new_price. Check out again with the new ETag.",
  'total-changed':
    'The total the checkout would charge is not the expected_total the storefront sent (what the buyer was shown). Nothing changed: total is the total now and cart the cart as it is; show them and check out again.',
  'delivery-required':
    'The store ships (a shipping rate is active) and the cart holds goods to ship: checkout needs a shipping_address and a delivery selected (PUT /v1/carts/{cartId}/delivery) first.',
  'delivery-unavailable':
    'The delivery named is not among the cart’s delivery_options (422 on PUT /v1/carts/{cartId}/delivery), or the selected delivery no longer applies at checkout (409; the cart’s delivery.reason says why). Select one of delivery_options.',
  'tax-pending':
    'With TAX=rates the cart has no address to tax by yet, or with TAX=external no tax has been set on it (tax_status is pending): checkout cannot charge a tax it does not know. Set a shipping (or billing) address, or have the tax service set the tax (PUT /v1/carts/{cartId}/tax), then check out again.',
  'tax-stale':
    'With TAX=external the tax set on the cart was set for an earlier version of it, and the cart changed since (tax_status is stale). Have the tax service set it again for the current version (If-Match), then check out again.',
  'insufficient-stock':
    "Not enough of a product for the change: a checkout (INVENTORY=track or reserve) of a cart holding more of a tracked product than it may take (errors lists each short line with what is available), an add, a raised quantity or a new cart's items (INVENTORY=reserve) past what other carts leave (available: how many the cart may hold; for a new cart, errors names each item), or an adjustment that would take on_hand below 0 (on_hand says how many there are). Nothing changed.",
  'transition-invalid':
    'The order cannot move to that status from the one it is in: placed → paid → fulfilled, and placed or paid → cancelled; fulfilled and cancelled are final, and an order never moves to the status it is in. order_status says where the order is, allowed where it may go.',
  'prices-untrusted':
    'With PRICES=catalog and no ADMIN_TOKEN the classic surface is open to anyone, so the prices of its lines are not trusted: a cart holding such a line cannot be checked out. Remove those lines, or set ADMIN_TOKEN (which then guards the classic surface).',
  'auth-unavailable':
    'The keys customer tokens are verified with (AUTH_JWKS_URL) could not be fetched; the token was not judged. Retry after Retry-After seconds.',
  'discount-invalid':
    'The discount code cannot be attached: unknown, inactive, not yet started, ended, used up, without an amount in the cart’s currency, or the cart already holds five codes. reason says which.',
  'discount-unavailable':
    'A discount code on the cart was used up while the cart was being checked out; nothing changed. Check out again to see the cart without it, or remove it.',
  'product-unavailable': 'The product is unknown, deleted or inactive.',
  'price-unavailable': "The product has no price in the cart's currency.",
  'client-price-not-allowed':
    'Prices and names come from the catalog; only a request with the admin token may set unit_price or name.',
  'idempotency-in-flight': 'A request with the same Idempotency-Key is still running. Retry after Retry-After seconds.',
  'idempotency-key-reuse':
    'The Idempotency-Key was first used with another request body; use a new key for a new request.',
  conflict:
    'The change would clash with the current state, e.g. two lines with the same product, price and metadata; or a tax was sent (PUT /v1/carts/{cartId}/tax) to a service that does not take one (TAX is not external).',
  'precondition-required':
    'The request must name the one version it was worked out for (If-Match: the ETag of the cart, not * and not a list); nothing changed. PUT /v1/carts/{cartId}/tax needs it: a tax worked out for another version of the cart is not that cart’s tax.',
  'precondition-failed':
    "If-Match does not match the cart's current ETag; nothing changed. Read the cart again and retry.",
  'body-too-large': 'The request body is over 64 KiB.',
  'rate-limited':
    'Over RATE_LIMIT_PER_MINUTE requests from this client in the last minute. Retry after Retry-After seconds.',
  'unsupported-media-type': 'The request body must be application/json.',
  'validation-failed': 'The request breaks the schema; errors lists every offending path with a message.',
  'internal-error': 'Something failed inside the service. The response carries X-Request-Id; the log has the cause.',
};

/** `GET /problems/<slug>`: the description a problem's `type` points at; undefined for an unknown slug. */
export function problemType(c: Context) {
  const slug = c.req.param('slug') ?? '';
  if (!Object.hasOwn(TITLES, slug)) return undefined;
  const known = slug as keyof typeof TITLES;
  return c.json({ type: `/problems/${known}`, title: TITLES[known], description: DESCRIPTIONS[known] });
}
