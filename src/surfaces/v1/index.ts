import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../../app-env.js';
import { DEFAULT_CART_ID } from '../../cart/ids.js';
import { requireAdminTokenProblem } from '../../platform/admin-auth.js';
import { BODY_LIMIT, bodyLimit } from '../../platform/body-limit.js';
import { type OpenStore, requireValidBookmark, sessionStore } from '../../platform/bookmark.js';
import { identify, requireCustomer } from '../../platform/customer-auth.js';
import { jsonBody } from '../../platform/json-body.js';
import { type Logger, logUnexpected } from '../../platform/logger.js';
import { allowOnlyRoutedMethods, exceptOptions } from '../../platform/method-not-allowed.js';
import { internalProblem, problem } from '../../platform/problem.js';
import { type RateLimiter, rateLimit } from '../../platform/rate-limit.js';
import * as adminHandlers from './admin/admin.handlers.js';
import * as adminRoutes from './admin/admin.routes.js';
import * as cartHandlers from './carts/carts.handlers.js';
import * as cartRoutes from './carts/carts.routes.js';
import * as deliveryHandlers from './carts/delivery.handlers.js';
import * as deliveryRoutes from './carts/delivery.routes.js';
import * as catalogHandlers from './catalog/catalog.handlers.js';
import * as catalogRoutes from './catalog/catalog.routes.js';
import * as customerHandlers from './customers/customers.handlers.js';
import * as customerRoutes from './customers/customers.routes.js';
import * as discountHandlers from './discounts/discounts.handlers.js';
import * as discountRoutes from './discounts/discounts.routes.js';
import * as eventHandlers from './events/events.handlers.js';
import * as eventRoutes from './events/events.routes.js';
import * as inventoryHandlers from './inventory/inventory.handlers.js';
import * as inventoryRoutes from './inventory/inventory.routes.js';
import * as orderHandlers from './orders/orders.handlers.js';
import * as orderRoutes from './orders/orders.routes.js';
import * as shippingHandlers from './shipping/shipping.handlers.js';
import * as shippingRoutes from './shipping/shipping.routes.js';
import * as taxHandlers from './tax/tax.handlers.js';
import * as taxRoutes from './tax/tax.routes.js';
import { pricedLinesHook, validationHook } from './validation-hook.js';

/**
 * The /v1 cart API (API.md §2) as its own app, mounted at `/v1`: problem
 * details for every error, its own validation hook, and the middleware each
 * group of routes needs, in the order API.md asks: rate limit, then
 * authorization, then the body, then idempotency (declared on the routes),
 * then validation.
 *
 * @example
 * app.route('/v1', v1Surface({ logger }));
 */
export function v1Surface(deps: { logger: Logger; rateLimiter?: RateLimiter | undefined; openStore: OpenStore }) {
  const v1 = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // Every answer carries X-Bookmark, refusals included, so the store opens first.
  v1.use(sessionStore(deps.openStore));

  if (deps.rateLimiter) {
    v1.use(
      rateLimit(deps.rateLimiter, (c, retryAfter) =>
        problem(c, 429, 'rate-limited', `Too many requests; retry in ${retryAfter} s.`),
      ),
    );
  }
  // Admin routes: bearer ADMIN_TOKEN, and closed (403) while it is not set.
  // Guards let OPTIONS through (exceptOptions): a CORS preflight carries no credentials.
  // A cart's tax, set by a tax service (TAX=external), is the admin's too.
  const adminOnly = [
    exceptOptions<AppEnv>(async (c, next) => {
      if (c.get('config').ADMIN_TOKEN === undefined) {
        return problem(c, 403, 'forbidden', 'Admin routes are disabled until ADMIN_TOKEN is set.');
      }
      return next();
    }),
    exceptOptions(requireAdminTokenProblem('Send Authorization: Bearer <admin token>.')),
  ];
  for (const path of ['/admin/*', '/carts/:cartId/tax']) v1.use(path, ...adminOnly);
  // The default cart is reachable by a well-known id, so it is guarded like the classic surface.
  // (Matched by parameter, not by a static path beside /carts/:cartId, which
  // would push Hono from its RegExpRouter onto the slower TrieRouter.)
  const guardDefault = requireAdminTokenProblem('The default cart needs Authorization: Bearer <admin token>.');
  const onDefaultCart: MiddlewareHandler<AppEnv> = exceptOptions((c, next) =>
    c.req.param('cartId') === DEFAULT_CART_ID ? guardDefault(c, next) : next(),
  );
  v1.use('/carts/:cartId', onDefaultCart);
  v1.use('/carts/:cartId/*', onDefaultCart);
  // Who the request speaks for (API.md §8): a customer's token must verify, else 401.
  v1.use(identify());
  v1.use('/customers/me/*', exceptOptions(requireCustomer));

  v1.use(
    requireValidBookmark((c) =>
      problem(c, 400, 'validation-failed', 'The X-Bookmark header is not one this service gave out.', [
        { path: 'X-Bookmark', message: 'Send back the X-Bookmark of an earlier answer, as it was' },
      ]),
    ),
  );
  // The catalog import has body rules of its own (5 MiB, JSON or NDJSON); every other body is JSON up to 64 KiB.
  const IMPORT = '/admin/products/import';
  v1.post(IMPORT, catalogHandlers.importBody);
  const limit = bodyLimit(BODY_LIMIT, (c) =>
    problem(c, 413, 'body-too-large', `The body is over ${BODY_LIMIT} bytes.`),
  );
  const json = jsonBody({
    unsupported: (c) => problem(c, 415, 'unsupported-media-type', 'Send the body as application/json.'),
    malformed: (c) => problem(c, 400, 'malformed-json', 'The body is not valid JSON.'),
  });
  const importPath = `/v1${IMPORT}`;
  const isImport = (c: Context<AppEnv>) => c.req.method === 'POST' && c.req.path === importPath;
  v1.use((c, next) => (isImport(c) ? next() : limit(c, next)));
  v1.use((c, next) => (isImport(c) ? next() : json(c, next)));

  const routes = v1
    .openapi(cartRoutes.createCart, cartHandlers.createCart, pricedLinesHook(itemsOf))
    .openapi(cartRoutes.getCart, cartHandlers.getCart)
    .openapi(cartRoutes.deleteCart, cartHandlers.deleteCart)
    .openapi(
      cartRoutes.addItem,
      cartHandlers.addItem,
      pricedLinesHook((body) => [[body, '']]),
    )
    .openapi(cartRoutes.updateItem, cartHandlers.updateItem)
    .openapi(cartRoutes.updateCart, cartHandlers.updateCart)
    .openapi(cartRoutes.removeItem, cartHandlers.removeItem)
    .openapi(cartRoutes.clearCart, cartHandlers.clearCart)
    .openapi(deliveryRoutes.selectDelivery, deliveryHandlers.selectDelivery)
    .openapi(deliveryRoutes.clearDelivery, deliveryHandlers.clearDelivery)
    .openapi(adminRoutes.listCarts, adminHandlers.listCarts)
    .openapi(catalogRoutes.importProducts, catalogHandlers.importProducts)
    .openapi(catalogRoutes.putProduct, catalogHandlers.putProduct)
    .openapi(catalogRoutes.getProduct, catalogHandlers.getProduct)
    .openapi(catalogRoutes.deleteProduct, catalogHandlers.deleteProduct)
    .openapi(catalogRoutes.listProducts, catalogHandlers.listProducts)
    .openapi(discountRoutes.attachCode, discountHandlers.attachCode)
    .openapi(discountRoutes.detachCode, discountHandlers.detachCode)
    .openapi(discountRoutes.putDiscount, discountHandlers.putDiscount)
    .openapi(discountRoutes.getDiscount, discountHandlers.getDiscount)
    .openapi(discountRoutes.deleteDiscount, discountHandlers.deleteDiscount)
    .openapi(discountRoutes.listDiscounts, discountHandlers.listDiscounts)
    .openapi(shippingRoutes.putShippingRate, shippingHandlers.putShippingRate)
    .openapi(shippingRoutes.getShippingRate, shippingHandlers.getShippingRate)
    .openapi(shippingRoutes.deleteShippingRate, shippingHandlers.deleteShippingRate)
    .openapi(shippingRoutes.listShippingRates, shippingHandlers.listShippingRates)
    .openapi(taxRoutes.putTaxRate, taxHandlers.putTaxRate)
    .openapi(taxRoutes.getTaxRate, taxHandlers.getTaxRate)
    .openapi(taxRoutes.deleteTaxRate, taxHandlers.deleteTaxRate)
    .openapi(taxRoutes.listTaxRates, taxHandlers.listTaxRates)
    .openapi(taxRoutes.setCartTax, taxHandlers.setCartTax)
    .openapi(customerRoutes.getMyCart, customerHandlers.getMyCart)
    .openapi(customerRoutes.listMyOrders, customerHandlers.listMyOrders)
    .openapi(customerRoutes.mergeMyCart, customerHandlers.mergeMyCart)
    .openapi(orderRoutes.checkout, orderHandlers.checkoutCart)
    .openapi(orderRoutes.getOrder, orderHandlers.getOrder)
    .openapi(orderRoutes.listOrders, orderHandlers.listOrders)
    .openapi(orderRoutes.moveOrder, orderHandlers.moveOrder)
    .openapi(inventoryRoutes.putStock, inventoryHandlers.putStock)
    .openapi(inventoryRoutes.adjustStock, inventoryHandlers.adjustStock)
    .openapi(inventoryRoutes.getStock, inventoryHandlers.getStock)
    .openapi(inventoryRoutes.listStock, inventoryHandlers.listStock)
    .openapi(eventRoutes.listEvents, eventHandlers.listEvents)
    .openapi(eventRoutes.redeliverEvent, eventHandlers.redeliverEvent);

  allowOnlyRoutedMethods(v1, (c, method, allowed) =>
    problem(c, 405, 'method-not-allowed', `${method} is not allowed here; use ${allowed.join(' or ')}.`),
  );
  v1.all('*', (c) => problem(c, 404, 'not-found', 'No such route.'));

  v1.onError(v1ErrorHandler(deps.logger));

  return routes;
}

/** The lines of a cart-creation body, each with its path. */
const itemsOf = (body: unknown): Array<[unknown, string]> => {
  const items = typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined;
  return Array.isArray(items) ? items.map((item, index) => [item, `items.${index}.`]) : [];
};

/**
 * /v1's answer to a thrown error: the framework's own refusals (raised by
 * validators and limits before a handler runs) by their status, anything
 * else a bare 500 that names nothing but the request id, logged in full.
 *
 * @example
 * app.onError(v1ErrorHandler(logger));
 */
export const v1ErrorHandler =
  (logger: Logger): ErrorHandler<AppEnv> =>
  (error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 415) return problem(c, 415, 'unsupported-media-type', 'Send the body as application/json.');
      if (error.status === 413) return problem(c, 413, 'body-too-large', `The body is over ${BODY_LIMIT} bytes.`);
      if (error.status === 400) return problem(c, 400, 'bad-request', 'The request could not be read.');
    }
    logUnexpected(logger, c.get('requestId'), error);
    return internalProblem(c, c.get('requestId'));
  };

/** The /v1 routes' types, for the typed client. */
export type V1Routes = ReturnType<typeof v1Surface>;
