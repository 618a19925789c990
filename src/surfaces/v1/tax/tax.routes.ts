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
import { putTaxRateSchema, taxRateIdParam, taxRateSchema } from './tax.schemas.js';

const rateResponse = (description: string) => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: taxRateSchema } },
});
const notFound = { 404: problem('No tax rate with that id (`not-found`).') };

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
    ...notFound,
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
    ...notFound,
    ...unwantedBody,
    ...everywhere,
  }),
});
