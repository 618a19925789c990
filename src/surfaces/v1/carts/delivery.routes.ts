import { createRoute } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import {
  bodyErrors,
  cartSecurity,
  defaultCartAuth,
  everywhere,
  ifMatch,
  jsonBody,
  preconditionFailed,
  problem,
  unwantedBody,
} from '../responses.js';
import { cartClosed, cartResponse, conditionErrors, notFound } from './carts.routes.js';
import { cartIdParam } from './carts.schemas.js';
import { selectDeliverySchema } from './delivery.schemas.js';

export const selectDelivery = createRoute({
  operationId: 'selectDelivery',
  method: 'put',
  path: '/carts/{cartId}/delivery',
  tags: ['Delivery'],
  summary: 'Select a delivery',
  description:
    "Selects one of the cart's `delivery_options` (the shipping rates that deliver to its shipping address, judged in the same step); the version grows. A selection that stops applying later (the address moved, the merchandise total left the rate's band, the rate was deactivated or deleted) stays, shown with `applicable: false` and a `reason`.",
  security: cartSecurity,
  request: { params: cartIdParam, headers: ifMatch.merge(bookmarkHeader), body: jsonBody(selectDeliverySchema, true) },
  responses: withBookmark({
    200: cartResponse('The cart with the delivery selected.'),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem(
      'The cart is checked out (`cart-closed`, with `order_id`), or its discounts kept changing while the delivery was judged (`conflict`).',
    ),
    ...preconditionFailed,
    422: problem(
      'The request breaks the schema (`validation-failed`), or the rate named is not among the cart’s `delivery_options` now (`delivery-unavailable`, saying why).',
    ),
    ...everywhere,
  }),
});

export const clearDelivery = createRoute({
  operationId: 'clearDelivery',
  method: 'delete',
  path: '/carts/{cartId}/delivery',
  tags: ['Delivery'],
  summary: 'Clear the delivery',
  description: 'Removes the selection; the version grows. A cart with none is answered as it is (the version stays).',
  security: cartSecurity,
  request: { params: cartIdParam, headers: ifMatch.merge(bookmarkHeader) },
  responses: withBookmark({
    200: cartResponse('The cart without a delivery.'),
    ...conditionErrors,
    ...notFound,
    ...defaultCartAuth,
    ...cartClosed,
    ...preconditionFailed,
    ...unwantedBody,
    ...everywhere,
  }),
});
