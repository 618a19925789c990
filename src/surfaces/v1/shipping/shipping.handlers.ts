import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import type { ShippingRateRow } from '../../../data/shipping-rates.js';
import { problem } from '../../../platform/problem.js';
import { pathIdIssue } from '../carts/carts.schemas.js';
import { keyCursor, keyedPage } from '../paging.js';
import type * as r from './shipping.routes.js';
import type { ShippingRateView } from './shipping.schemas.js';

type Ctx = Context<AppEnv>;

const iso = (ms: number) => new Date(ms).toISOString();
const amounts = (json: string | null) => (json === null ? null : (JSON.parse(json) as Record<string, number>));

/** A stored rate as API.md §10 shows it. */
const rateView = (row: ShippingRateRow): ShippingRateView => ({
  id: row.id,
  name: row.name,
  countries: JSON.parse(row.countries) as string[],
  prices: amounts(row.prices) ?? {},
  free_over: amounts(row.freeOver),
  min_subtotal: amounts(row.minSubtotal),
  max_subtotal: amounts(row.maxSubtotal),
  tax_category: row.taxCategory,
  active: row.active,
  version: row.version,
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

const sendRate = <S extends 200 | 201>(c: Ctx, row: ShippingRateRow, status: S) => {
  c.header('ETag', `"${row.version}"`);
  return c.json(rateView(row), status);
};

const noRate = (c: Ctx) => problem(c, 404, 'not-found', 'No shipping rate with that id.');

export const putShippingRate: RouteHandler<typeof r.putShippingRate, AppEnv> = async (c) => {
  const id = c.req.param('rateId');
  const body = c.req.valid('json');
  const issue = pathIdIssue('rateId', id, body.id);
  if (issue !== undefined)
    return problem(c, 422, 'validation-failed', 'The request body has 1 invalid field.', [issue]);
  const { created, row } = await c.get('store').shippingRates.put(
    {
      id,
      name: body.name,
      countries: body.countries,
      prices: body.prices,
      freeOver: body.free_over ?? null,
      minSubtotal: body.min_subtotal ?? null,
      maxSubtotal: body.max_subtotal ?? null,
      taxCategory: body.tax_category ?? null,
      active: body.active,
    },
    c.get('now')(),
  );
  return created ? sendRate(c, row, 201) : sendRate(c, row, 200);
};

export const getShippingRate: RouteHandler<typeof r.getShippingRate, AppEnv> = async (c) => {
  const row = await c.get('store').shippingRates.get(c.req.param('rateId'));
  return row === undefined ? noRate(c) : sendRate(c, row, 200);
};

export const deleteShippingRate: RouteHandler<typeof r.deleteShippingRate, AppEnv> = async (c) => {
  const gone = await c.get('store').shippingRates.remove(c.req.param('rateId'));
  return gone ? c.body(null, 204) : noRate(c);
};

const cursors = keyCursor('s');

export const listShippingRates: RouteHandler<typeof r.listShippingRates, AppEnv> = async (c) => {
  const page = await keyedPage(
    c,
    c.req.valid('query'),
    cursors,
    'id',
    (limit, after) => c.get('store').shippingRates.list(limit, after),
    rateView,
  );
  if ('refused' in page) return page.refused;
  return c.json({ shipping_rates: page.items, next_cursor: page.next }, 200);
};
