import { createRoute, z } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { cartIdempotency, creationIdempotency } from '../idempotency.js';
import {
  bodyErrors,
  cartSecurity,
  defaultCartAuth,
  etagHeader,
  everywhere,
  idempotencyKey,
  ifMatch,
  jsonBody,
  preconditionFailed,
  problem,
  replayHeaders,
  unwantedBody,
} from '../responses.js';
import {
  addItemSchema,
  cartIdParam,
  cartSchema,
  createCartSchema,
  itemParams,
  updateItemSchema,
} from './carts.schemas.js';
import { detailsPatchSchema } from './details.schemas.js';

/** A cart answer: the cart, with its ETag (and, where a key may replay it, the replay headers). */
export const cartResponse = (description: string, replayable = false) => ({
  description,
  headers: replayable ? { ...etagHeader, ...replayHeaders } : etagHeader,
  content: { 'application/json': { schema: cartSchema } },
});

export const notFound = { 404: problem('No such cart, it expired, or the line is not in that cart (`not-found`).') };
export const cartClosed = { 409: problem('The cart is checked out (`cart-closed`; `order_id` names its order).') };
export const conditionErrors = {
  400: problem('A malformed or too long `If-Match` / `If-None-Match` (`validation-failed`).'),
};

export const createCart = createRoute({
  operationId: 'createCart',
  method: 'post',
  path: '/carts',
  tags: ['Carts'],
  summary: 'Create a cart',
  description:
    'Creates a cart, optionally with its first lines (merged as adds would merge them). Anyone may; with a customer token the cart is bound to that customer, and with the admin token its lines may carry custom prices.',
  security: cartSecurity,
  middleware: [creationIdempotency],
  request: { headers: idempotencyKey.merge(bookmarkHeader), body: jsonBody(createCartSchema, false) },
  responses: withBookmark({
    201: {
      ...cartResponse('The new cart.', true),
      headers: {
        ...etagHeader,
        ...replayHeaders,
        Location: { description: 'The cart URL.', schema: { type: 'string' as const } },
      },
    },
    ...bodyErrors,
    409: problem(
      'More lines than a cart holds (`cart-full`), with `INVENTORY=reserve` more of a tracked product than other carts leave (`insufficient-stock`: `errors` names each item with what is `available`; no cart is made), or the same Idempotency-Key is still running (`idempotency-in-flight`).',
    ),
    ...everywhere,
  }),
});

export const getCart = createRoute({
  operationId: 'getCart',
  method: 'get',
  path: '/carts/{cartId}',
  tags: ['Carts'],
  summary: 'Read a cart',
  security: cartSecurity,
  request: {
    params: cartIdParam,
    headers: z.object({ 'if-none-match': z.string().optional().openapi({ example: '"4"' }) }).merge(bookmarkHeader),
  },
  responses: withBookmark({
    200: cartResponse('The cart with its lines and totals.'),
    304: { description: '`If-None-Match` matched the current ETag.', headers: etagHeader },
    ...conditionErrors,
    ...notFound,
    ...defaultCartAuth,
    ...everywhere,
  }),
});

export const deleteCart = createRoute({
  operationId: 'deleteCart',
  method: 'delete',
  path: '/carts/{cartId}',
  tags: ['Carts'],
  summary: 'Delete a cart',
  security: cartSecurity,
  request: { params: cartIdParam, headers: ifMatch.merge(bookmarkHeader) },
  responses: withBookmark({
    204: { description: 'Deleted.' },
    ...conditionErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem(
      'The default cart cannot be deleted (`conflict`). A checked-out cart takes no change (`cart-closed`, with `order_id`).',
    ),
    ...preconditionFailed,
    ...unwantedBody,
    ...everywhere,
  }),
});

export const addItem = createRoute({
  operationId: 'addCartItem',
  method: 'post',
  path: '/carts/{cartId}/items',
  tags: ['Lines'],
  summary: 'Add a line',
  description:
    'Adds a line. The same `product_id`, `unit_price`, `metadata` and price source as an existing line merges into it: its quantity grows (200). Otherwise a new line is made (201).',
  security: cartSecurity,
  middleware: [cartIdempotency],
  request: {
    params: cartIdParam,
    headers: ifMatch.merge(idempotencyKey).merge(bookmarkHeader),
    body: jsonBody(addItemSchema, true),
  },
  responses: withBookmark({
    200: cartResponse('Merged into an existing line.', true),
    201: cartResponse('A new line.', true),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem(
      'The cart already has as many lines as it may (`cart-full`), with `INVENTORY=reserve` the units are not available (`insufficient-stock`, with `available`: how many of the product the cart may hold in all; nothing changed), the same Idempotency-Key is still running (`idempotency-in-flight`), or the cart is checked out (`cart-closed`, with `order_id`).',
    ),
    ...preconditionFailed,
    ...everywhere,
  }),
});

export const updateItem = createRoute({
  operationId: 'updateCartItem',
  method: 'patch',
  path: '/carts/{cartId}/items/{itemId}',
  tags: ['Lines'],
  summary: 'Change a line',
  description: '`quantity: 0` removes the line. `{}` changes nothing.',
  security: cartSecurity,
  request: { params: itemParams, headers: ifMatch.merge(bookmarkHeader), body: jsonBody(updateItemSchema, true) },
  responses: withBookmark({
    200: cartResponse('The changed cart.'),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem(
      'Another line already has this product, price and the new metadata (`conflict`). With `INVENTORY=reserve`, a quantity raised past what other carts leave (`insufficient-stock`, with `available`; nothing changed). A checked-out cart takes no change (`cart-closed`, with `order_id`).',
    ),
    ...preconditionFailed,
    ...everywhere,
  }),
});

export const updateCart = createRoute({
  operationId: 'updateCart',
  method: 'patch',
  path: '/carts/{cartId}',
  tags: ['Carts'],
  summary: 'Change who buys and where it goes',
  description:
    'A JSON Merge Patch (RFC 7396) of `email`, `note`, `attributes`, `shipping_address` and `billing_address`, sent as `application/merge-patch+json` (`application/json` is accepted too): a member left out stays, `null` removes it, an address merges field by field and must keep `line1`, `city` and `country`, with a `region` of its country. Every offending path is listed in one 422; nothing is half applied. `{}` changes nothing.',
  security: cartSecurity,
  request: {
    params: cartIdParam,
    headers: ifMatch.merge(bookmarkHeader),
    body: { required: true, content: { 'application/merge-patch+json': { schema: detailsPatchSchema } } },
  },
  responses: withBookmark({
    200: cartResponse('The changed cart.'),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    ...cartClosed,
    ...preconditionFailed,
    ...everywhere,
  }),
});

export const removeItem = createRoute({
  operationId: 'removeCartItem',
  method: 'delete',
  path: '/carts/{cartId}/items/{itemId}',
  tags: ['Lines'],
  summary: 'Remove a line',
  security: cartSecurity,
  request: { params: itemParams, headers: ifMatch.merge(bookmarkHeader) },
  responses: withBookmark({
    200: cartResponse('The cart without the line.'),
    ...conditionErrors,
    ...notFound,
    ...defaultCartAuth,
    ...cartClosed,
    ...preconditionFailed,
    ...unwantedBody,
    ...everywhere,
  }),
});

export const clearCart = createRoute({
  operationId: 'clearCart',
  method: 'delete',
  path: '/carts/{cartId}/items',
  tags: ['Lines'],
  summary: 'Empty a cart',
  description: 'Removes every line. Emptying an empty cart changes nothing (the version stays).',
  security: cartSecurity,
  request: { params: cartIdParam, headers: ifMatch.merge(bookmarkHeader) },
  responses: withBookmark({
    200: cartResponse('The empty cart.'),
    ...conditionErrors,
    ...notFound,
    ...cartClosed,
    ...defaultCartAuth,
    ...preconditionFailed,
    ...unwantedBody,
    ...everywhere,
  }),
});
