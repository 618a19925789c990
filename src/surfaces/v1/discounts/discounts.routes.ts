import { createRoute } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import { cartResponse } from '../carts/carts.routes.js';
import { cartIdParam } from '../carts/carts.schemas.js';
import { cartIdempotency } from '../idempotency.js';
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
  jsonBody,
  pageResponse,
  preconditionFailed,
  problem,
  unwantedBody,
} from '../responses.js';
import { attachSchema, codeParam, discountSchema, putDiscountSchema } from './discounts.schemas.js';

const discountResponse = (description: string) => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: discountSchema } },
});
const notFound = { 404: problem('No discount with that code (`not-found`).') };

export const putDiscount = createRoute({
  operationId: 'putDiscount',
  method: 'put',
  path: '/admin/discounts/{code}',
  tags: ['Discounts'],
  summary: 'Create or replace a discount',
  description:
    'Creates the discount, or replaces every field of an existing one (its `version` grows; `redemptions` is kept). Carts holding the code see the change at once.',
  security: adminSecurity,
  request: { params: codeParam, headers: bookmarkHeader, body: jsonBody(putDiscountSchema, true) },
  responses: withBookmark({
    200: discountResponse('The discount, replaced.'),
    201: discountResponse('The discount, created.'),
    ...bodyErrors,
    ...adminErrors,
    ...everywhere,
  }),
});

export const getDiscount = createRoute({
  operationId: 'getDiscount',
  method: 'get',
  path: '/admin/discounts/{code}',
  tags: ['Discounts'],
  summary: 'Read a discount',
  security: adminSecurity,
  request: { params: codeParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: discountResponse('The discount.'),
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...everywhere,
  }),
});

export const listDiscounts = createRoute({
  operationId: 'listDiscounts',
  method: 'get',
  path: '/admin/discounts',
  tags: ['Discounts'],
  summary: 'List discounts',
  description: 'Discounts in code order, a page at a time.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('discounts', discountSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const deleteDiscount = createRoute({
  operationId: 'deleteDiscount',
  method: 'delete',
  path: '/admin/discounts/{code}',
  tags: ['Discounts'],
  summary: 'Delete a discount',
  description: 'Carts that hold the code keep it, shown as not applicable (`reason: unknown`).',
  security: adminSecurity,
  request: { params: codeParam, headers: bookmarkHeader },
  responses: withBookmark({
    204: { description: 'Deleted.' },
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...unwantedBody,
    ...everywhere,
  }),
});

export const attachCode = createRoute({
  operationId: 'attachDiscountCode',
  method: 'post',
  path: '/carts/{cartId}/discount-codes',
  tags: ['Discounts'],
  summary: 'Attach a discount code',
  description:
    'Attaches a code (matched case-insensitively, shown in upper case); the version grows. A code whose minimum subtotal is not met yet attaches and shows as not applicable. Attaching a code the cart already holds changes nothing.',
  security: cartSecurity,
  middleware: [cartIdempotency],
  request: {
    params: cartIdParam,
    headers: ifMatch.merge(idempotencyKey).merge(bookmarkHeader),
    body: jsonBody(attachSchema, true),
  },
  responses: withBookmark({
    200: cartResponse('The cart with the code.', true),
    ...bodyErrors,
    404: problem('No such cart, or it expired (`not-found`).'),
    ...defaultCartAuth,
    409: problem(
      'The same Idempotency-Key is still running (`idempotency-in-flight`), or the cart is checked out (`cart-closed`, with `order_id`).',
    ),
    ...preconditionFailed,
    422: problem(
      'The request breaks the schema (`validation-failed`), or the code cannot be attached (`discount-invalid`; `reason`: unknown, inactive, not-started, ended, exhausted, currency, or full for a sixth code).',
    ),
    ...everywhere,
  }),
});

export const detachCode = createRoute({
  operationId: 'removeDiscountCode',
  method: 'delete',
  path: '/carts/{cartId}/discount-codes/{code}',
  tags: ['Discounts'],
  summary: 'Remove a discount code',
  security: cartSecurity,
  request: { params: cartIdParam.merge(codeParam), headers: ifMatch.merge(bookmarkHeader) },
  responses: withBookmark({
    200: cartResponse('The cart without the code.'),
    400: problem('A malformed or too long `If-Match` / `If-None-Match` (`validation-failed`).'),
    404: problem('No such cart, it expired, or it holds no such code (`not-found`).'),
    ...defaultCartAuth,
    409: problem('The cart is checked out (`cart-closed`, with `order_id`).'),
    ...preconditionFailed,
    ...unwantedBody,
    ...everywhere,
  }),
});
