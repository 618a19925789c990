import { createRoute, z } from '@hono/zod-openapi';
import { LIMITS } from '../../../cart/limits.js';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import {
  adminSecurity,
  bodyErrors,
  bookmarkRefused,
  everywhere,
  ifMatchOnly,
  jsonBody,
  pageResponse,
  problem,
} from '../responses.js';
import { adjustmentSchema, putStockSchema, stockIdParam, stockSchema } from './inventory.schemas.js';

const stockEtag = {
  ETag: {
    description: 'The stock record’s version as a strong entity tag, e.g. `"3"`.',
    schema: { type: 'string' as const },
  },
};
const stockResponse = (description: string) => ({
  description,
  headers: stockEtag,
  content: { 'application/json': { schema: stockSchema } },
});
const noStock = { 404: problem('No stock record for that product: it is not tracked (`not-found`).') };

export const putStock = createRoute({
  operationId: 'putStock',
  method: 'put',
  path: '/admin/inventory/{productId}',
  tags: ['Inventory'],
  summary: 'Set a product’s stock',
  description:
    'Sets the count on hand: what is left to sell (checkout takes from it, a cancellation gives back), so the units on the shelf that no order has taken yet. A product with a stock record is tracked; one without is not. Created at version 1, replaced with its `version` + 1.',
  security: adminSecurity,
  request: {
    params: stockIdParam,
    headers: ifMatchOnly('Set', 'the record'),
    body: jsonBody(putStockSchema, true),
  },
  responses: withBookmark({
    200: stockResponse('The record, replaced.'),
    201: stockResponse('The record, created.'),
    ...bodyErrors,
    ...adminErrors,
    412: { ...problem('`If-Match` does not hold; nothing changed (`precondition-failed`).'), headers: stockEtag },
    422: problem('A count below 0 or over 1,000,000,000, not an integer, or a bad product id (`validation-failed`).'),
    ...everywhere,
  }),
});

export const adjustStock = createRoute({
  operationId: 'adjustStock',
  method: 'post',
  path: '/admin/inventory/{productId}/adjustments',
  tags: ['Inventory'],
  summary: 'Adjust a product’s stock',
  description:
    'Moves the count on hand by `delta` relative to what it is, in one atomic step: adjustments racing each other or checkouts add up, none lost. A delta that would take the count below 0 is refused, nothing changed.',
  security: adminSecurity,
  request: { params: stockIdParam, headers: bookmarkHeader, body: jsonBody(adjustmentSchema, true) },
  responses: withBookmark({
    200: stockResponse('The record after the adjustment.'),
    ...bodyErrors,
    ...adminErrors,
    ...noStock,
    409: problem(
      'The delta would take `on_hand` below 0 (`insufficient-stock`, with `on_hand`), or past 1,000,000,000 (`conflict`); nothing changed.',
    ),
    422: problem('A delta that is not an integer, or another field that breaks the schema (`validation-failed`).'),
    ...everywhere,
  }),
});

export const getStock = createRoute({
  operationId: 'getStock',
  method: 'get',
  path: '/admin/inventory/{productId}',
  tags: ['Inventory'],
  summary: 'Read a product’s stock',
  security: adminSecurity,
  request: { params: stockIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: stockResponse('The record.'),
    ...bookmarkRefused,
    ...adminErrors,
    ...noStock,
    ...everywhere,
  }),
});

export const listStock = createRoute({
  operationId: 'listStock',
  method: 'get',
  path: '/admin/inventory',
  tags: ['Inventory'],
  summary: 'List stock records',
  description: 'Records in product id order, a page at a time.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('inventory', stockSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});
