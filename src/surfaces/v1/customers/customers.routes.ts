import { createRoute, z } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { pageQuery } from '../admin/admin.routes.js';
import { cartSchema, stockWarningSchema } from '../carts/carts.schemas.js';
import { mergeIdempotency } from '../idempotency.js';
import { orderSchema } from '../orders/orders.schemas.js';
import {
  bodyErrors,
  bookmarkRefused,
  customerSecurity,
  etagHeader,
  everywhere,
  idempotencyKey,
  jsonBody,
  pageResponse,
  problem,
  replayHeaders,
} from '../responses.js';

const customerErrors = {
  401: problem(
    'No customer token, or a bearer value that is neither the admin token nor a valid customer token (`unauthorized`).',
  ),
  403: problem('The admin token names no customer (`forbidden`).'),
};

export const getMyCart = createRoute({
  operationId: 'getMyCart',
  method: 'get',
  path: '/customers/me/cart',
  tags: ['Customers'],
  summary: 'The signed-in customer’s cart',
  description: 'Their open cart that changed last.',
  security: customerSecurity,
  request: { headers: bookmarkHeader },
  responses: withBookmark({
    200: { description: 'The cart.', headers: etagHeader, content: { 'application/json': { schema: cartSchema } } },
    ...bookmarkRefused,
    ...customerErrors,
    404: problem('The customer has no open cart (`not-found`).'),
    ...everywhere,
  }),
});

export const listMyOrders = createRoute({
  operationId: 'listMyOrders',
  method: 'get',
  path: '/customers/me/orders',
  tags: ['Customers'],
  summary: 'The signed-in customer’s orders',
  description: 'Newest first, a page at a time.',
  security: customerSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('orders', orderSchema),
    ...bookmarkRefused,
    ...customerErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const mergeSchema = z
  .object({
    cart_id: z
      .string()
      .openapi({ description: 'The anonymous cart of the session.', example: 'crt_5J3kQm0aZ9xYw2VbN7cD1e' }),
    mode: z.enum(['sum', 'max', 'replace']).default('sum').openapi({
      description:
        '`sum` adds the quantities of lines with the same product, price and metadata; `max` keeps the larger; both append the other lines. `replace` makes the customer’s cart hold exactly the anonymous cart’s lines.',
    }),
  })
  .openapi('MergeCarts');

export const mergedCartSchema = cartSchema
  .extend({
    warnings: z
      .array(
        z.union([
          z.object({
            code: z.enum(['quantity-clamped', 'line-dropped', 'code-dropped']),
            path: z.string().openapi({
              description:
                '`items.<id>`: the line of the anonymous cart; `discount_codes.<code>`: a code it held (codes are not carried over).',
              example: 'items.7',
            }),
            message: z.string(),
          }),
          stockWarningSchema,
        ]),
      )
      .openapi({
        description:
          'Every limit the merge kept (a quantity clamped, a line dropped), then the cart’s own stock warnings.',
      }),
  })
  .openapi('MergedCart');

export const mergeMyCart = createRoute({
  operationId: 'mergeMyCart',
  method: 'post',
  path: '/customers/me/cart/merge',
  tags: ['Customers'],
  summary: 'Keep the anonymous cart on sign-in',
  description:
    'The anonymous cart `cart_id` joins the customer’s open cart in one atomic step, and is deleted. With no open cart of theirs, the anonymous cart becomes theirs (same id). Limits hold: clamps and drops are listed in `warnings`.',
  security: customerSecurity,
  middleware: [mergeIdempotency],
  request: { headers: idempotencyKey.merge(bookmarkHeader), body: jsonBody(mergeSchema, true) },
  responses: withBookmark({
    200: {
      description: 'The customer’s cart.',
      headers: { ...etagHeader, ...replayHeaders },
      content: { 'application/json': { schema: mergedCartSchema } },
    },
    ...bodyErrors,
    ...customerErrors,
    404: problem('No such anonymous cart, it expired, or it belongs to another customer (`not-found`).'),
    409: problem(
      'The anonymous cart is checked out (`cart-closed`); or (`conflict`) it is already the customer’s (a concurrent merge won), its currency differs from the customer’s cart, or the carts kept changing during the merge; or the same Idempotency-Key is still running (`idempotency-in-flight`).',
    ),
    ...everywhere,
  }),
});
