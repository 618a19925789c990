import { createRoute } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import { cartResponse, notFound } from '../carts/carts.routes.js';
import { cartIdParam } from '../carts/carts.schemas.js';
import {
  adminSecurity,
  bodyErrors,
  bookmarkRefused,
  etagHeader,
  everywhere,
  ifMatch,
  jsonBody,
  pageResponse,
  preconditionFailed,
  problem,
  unwantedBody,
} from '../responses.js';
import { putCartTaxSchema, putTaxRateSchema, taxRateIdParam, taxRateSchema } from './tax.schemas.js';

const rateResponse = (description: string) => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: taxRateSchema } },
});
const noRate = { 404: problem('No tax rate with that id (`not-found`).') };

export const putTaxRate = createRoute({
  operationId: 'putTaxRate',
  method: 'put',
  path: '/admin/tax-rates/{rateId}',
  tags: ['Tax'],
  summary: 'Create or replace a tax rate',
  description:
    'Creates the rate, or replaces every field of an existing one (its `version` grows). With `TAX=rates`, a cart line of its `category` shipped to its `country` (and `region`, when it names one) takes it; several rates of one place stack, each on the same base.',
  security: adminSecurity,
  request: { params: taxRateIdParam, headers: bookmarkHeader, body: jsonBody(putTaxRateSchema, true) },
  responses: withBookmark({
    200: rateResponse('The rate, replaced.'),
    201: rateResponse('The rate, created.'),
    ...bodyErrors,
    ...adminErrors,
    ...everywhere,
  }),
});

export const getTaxRate = createRoute({
  operationId: 'getTaxRate',
  method: 'get',
  path: '/admin/tax-rates/{rateId}',
  tags: ['Tax'],
  summary: 'Read a tax rate',
  security: adminSecurity,
  request: { params: taxRateIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: rateResponse('The rate.'),
    ...bookmarkRefused,
    ...adminErrors,
    ...noRate,
    ...everywhere,
  }),
});

export const listTaxRates = createRoute({
  operationId: 'listTaxRates',
  method: 'get',
  path: '/admin/tax-rates',
  tags: ['Tax'],
  summary: 'List tax rates',
  description: 'Rates in id order, a page at a time.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('tax_rates', taxRateSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const deleteTaxRate = createRoute({
  operationId: 'deleteTaxRate',
  method: 'delete',
  path: '/admin/tax-rates/{rateId}',
  tags: ['Tax'],
  summary: 'Delete a tax rate',
  description: 'Carts no longer take it; orders placed keep the tax they were placed with.',
  security: adminSecurity,
  request: { params: taxRateIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    204: { description: 'Deleted.' },
    ...bookmarkRefused,
    ...adminErrors,
    ...noRate,
    ...unwantedBody,
    ...everywhere,
  }),
});

export const setCartTax = createRoute({
  operationId: 'setCartTax',
  method: 'put',
  path: '/carts/{cartId}/tax',
  tags: ['Tax'],
  summary: 'Set a cart’s tax (TAX=external)',
  description:
    'For a tax service (called from the merchant’s backend): sets the tax lines of every line of the cart and of its shipping, worked out for the version `If-Match` names (required). The version grows and `tax_status` is `ready`; any later change to the cart makes it `stale` until the tax is set again. Only with `TAX=external`.',
  security: adminSecurity,
  request: {
    params: cartIdParam,
    headers: ifMatch.merge(bookmarkHeader),
    body: jsonBody(putCartTaxSchema, true),
  },
  responses: withBookmark({
    200: cartResponse('The cart with its tax set.'),
    ...bodyErrors,
    ...adminErrors,
    ...notFound,
    409: problem(
      'The cart is checked out (`cart-closed`, with `order_id`), or the service works tax out itself (`conflict`: `TAX` is not `external`).',
    ),
    ...preconditionFailed,
    428: problem(
      'No `If-Match` naming exactly the one version the tax was worked out for: missing, `*` or a list (`precondition-required`).',
    ),
    422: problem(
      'The request breaks the schema (`validation-failed`), the lines named are not the cart’s lines each once (`validation-failed` at `items`, naming the missing and the foreign ids), or the subtotal with the tax would pass 2^53 − 1 (`validation-failed`).',
    ),
    ...everywhere,
  }),
});
