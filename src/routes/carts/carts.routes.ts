import { createRoute, z } from '@hono/zod-openapi';
import { problemSchema } from '../../lib/problem.js';
import {
  addItemSchema,
  cartIdParam,
  cartSchema,
  createCartSchema,
  itemParams,
  updateItemSchema,
} from './carts.schemas.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

const etag = {
  ETag: { description: 'The cart version as a strong entity tag, e.g. `"4"`.', schema: { type: 'string' as const } },
};

const cartResponse = (description: string) => ({
  description,
  headers: etag,
  content: { 'application/json': { schema: cartSchema } },
});

const ifMatch = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ description: 'Apply only while the cart has this ETag (or `*`: while it exists).', example: '"4"' }),
});

const idempotencyKey = z.object({
  'idempotency-key': z.string().max(255).optional().openapi({
    description:
      'Makes a retry safe: the first response is stored for 24 h and replayed (with `Idempotent-Replayed: true`) for the same key and body.',
    example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
  }),
});

const jsonBody = <T extends z.ZodType>(schema: T, required: boolean) => ({
  required,
  content: { 'application/json': { schema } },
});

/** Errors every request with a body can meet before its handler runs. */
const bodyErrors = {
  400: problem(
    'The body is not valid JSON (`malformed-json`), or a header (If-Match, Idempotency-Key) is malformed (`validation-failed`).',
  ),
  413: problem('The body is over 64 KiB (`body-too-large`).'),
  415: problem('The body is not `application/json` (`unsupported-media-type`).'),
  422: problem(
    'The body breaks the schema (`validation-failed`; `errors` lists every offending path), or an Idempotency-Key is reused with another body (`idempotency-key-reuse`).',
  ),
};
/** The default cart, reachable by its well-known id `default`, needs the admin token when one is set. */
const defaultCartAuth = {
  401: problem('The default cart without the admin token, while ADMIN_TOKEN is set (`unauthorized`).'),
  403: problem('The default cart with a wrong admin token (`forbidden`).'),
};
const notFound = { 404: problem('No such cart, it expired, or the line is not in that cart (`not-found`).') };
const preconditionFailed = {
  412: problem('`If-Match` does not match the current ETag; nothing changed (`precondition-failed`).'),
};

export const createCart = createRoute({
  method: 'post',
  path: '/v1/carts',
  tags: ['Carts'],
  summary: 'Create a cart',
  description: 'Creates a cart, optionally with its first lines (merged as adds would merge them).',
  request: { headers: idempotencyKey, body: jsonBody(createCartSchema, false) },
  responses: {
    201: {
      ...cartResponse('The new cart.'),
      headers: { ...etag, Location: { description: 'The cart URL.', schema: { type: 'string' as const } } },
    },
    ...bodyErrors,
    409: problem(
      'More lines than a cart holds (`cart-full`), or the same Idempotency-Key is still running (`idempotency-in-flight`).',
    ),
  },
});

export const getCart = createRoute({
  method: 'get',
  path: '/v1/carts/{cartId}',
  tags: ['Carts'],
  summary: 'Read a cart',
  request: {
    params: cartIdParam,
    headers: z.object({ 'if-none-match': z.string().optional().openapi({ example: '"4"' }) }),
  },
  responses: {
    200: cartResponse('The cart with its lines and totals.'),
    304: { description: '`If-None-Match` matched the current ETag.', headers: etag },
    400: problem('A malformed `If-None-Match`.'),
    ...notFound,
    ...defaultCartAuth,
  },
});

export const deleteCart = createRoute({
  method: 'delete',
  path: '/v1/carts/{cartId}',
  tags: ['Carts'],
  summary: 'Delete a cart',
  request: { params: cartIdParam, headers: ifMatch },
  responses: {
    204: { description: 'Deleted.' },
    400: problem('A malformed `If-Match`.'),
    ...notFound,
    ...defaultCartAuth,
    409: problem('The default cart cannot be deleted (`conflict`).'),
    ...preconditionFailed,
  },
});

export const addItem = createRoute({
  method: 'post',
  path: '/v1/carts/{cartId}/items',
  tags: ['Lines'],
  summary: 'Add a line',
  description:
    'Adds a line. The same `product_id`, `unit_price` and `metadata` as an existing line merges into it: its quantity grows (200). Otherwise a new line is made (201).',
  request: { params: cartIdParam, headers: ifMatch.merge(idempotencyKey), body: jsonBody(addItemSchema, true) },
  responses: {
    200: cartResponse('Merged into an existing line.'),
    201: cartResponse('A new line.'),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem(
      'The cart already has as many lines as it may (`cart-full`), or the same Idempotency-Key is still running (`idempotency-in-flight`).',
    ),
    ...preconditionFailed,
  },
});

export const updateItem = createRoute({
  method: 'patch',
  path: '/v1/carts/{cartId}/items/{itemId}',
  tags: ['Lines'],
  summary: 'Change a line',
  description: '`quantity: 0` removes the line. `{}` changes nothing.',
  request: { params: itemParams, headers: ifMatch, body: jsonBody(updateItemSchema, true) },
  responses: {
    200: cartResponse('The changed cart.'),
    ...bodyErrors,
    ...notFound,
    ...defaultCartAuth,
    409: problem('Another line already has this product, price and the new metadata (`conflict`).'),
    ...preconditionFailed,
  },
});

export const removeItem = createRoute({
  method: 'delete',
  path: '/v1/carts/{cartId}/items/{itemId}',
  tags: ['Lines'],
  summary: 'Remove a line',
  request: { params: itemParams, headers: ifMatch },
  responses: {
    200: cartResponse('The cart without the line.'),
    400: problem('A malformed `If-Match`.'),
    ...notFound,
    ...defaultCartAuth,
    ...preconditionFailed,
  },
});

export const clearCart = createRoute({
  method: 'delete',
  path: '/v1/carts/{cartId}/items',
  tags: ['Lines'],
  summary: 'Empty a cart',
  description: 'Removes every line. Emptying an empty cart changes nothing (the version stays).',
  request: { params: cartIdParam, headers: ifMatch },
  responses: {
    200: cartResponse('The empty cart.'),
    400: problem('A malformed `If-Match`.'),
    ...notFound,
    ...defaultCartAuth,
    ...preconditionFailed,
  },
});
