import { createRoute } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import {
  adminSecurity,
  bodyErrors,
  bookmarkRefused,
  etagHeader,
  everywhere,
  jsonBody,
  pageResponse,
  problem,
  unwantedBody,
} from '../responses.js';
import { putShippingRateSchema, rateIdParam, shippingRateSchema } from './shipping.schemas.js';

const rateResponse = (description: string) => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: shippingRateSchema } },
});
const notFound = { 404: problem('No shipping rate with that id (`not-found`).') };

export const putShippingRate = createRoute({
  operationId: 'putShippingRate',
  method: 'put',
  path: '/admin/shipping-rates/{rateId}',
  tags: ['Shipping'],
  summary: 'Create or replace a shipping rate',
  description:
    'Creates the rate, or replaces every field of an existing one (its `version` grows). Carts show it among their `delivery_options` where it covers the shipping address and the merchandise total.',
  security: adminSecurity,
  request: { params: rateIdParam, headers: bookmarkHeader, body: jsonBody(putShippingRateSchema, true) },
  responses: withBookmark({
    200: rateResponse('The rate, replaced.'),
    201: rateResponse('The rate, created.'),
    ...bodyErrors,
    ...adminErrors,
    ...everywhere,
  }),
});

export const getShippingRate = createRoute({
  operationId: 'getShippingRate',
  method: 'get',
  path: '/admin/shipping-rates/{rateId}',
  tags: ['Shipping'],
  summary: 'Read a shipping rate',
  security: adminSecurity,
  request: { params: rateIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: rateResponse('The rate.'),
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...everywhere,
  }),
});

export const listShippingRates = createRoute({
  operationId: 'listShippingRates',
  method: 'get',
  path: '/admin/shipping-rates',
  tags: ['Shipping'],
  summary: 'List shipping rates',
  description: 'Rates in id order, a page at a time.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('shipping_rates', shippingRateSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const deleteShippingRate = createRoute({
  operationId: 'deleteShippingRate',
  method: 'delete',
  path: '/admin/shipping-rates/{rateId}',
  tags: ['Shipping'],
  summary: 'Delete a shipping rate',
  description: 'A cart that selected it keeps the selection, shown as not applicable.',
  security: adminSecurity,
  request: { params: rateIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    204: { description: 'Deleted.' },
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...unwantedBody,
    ...everywhere,
  }),
});
