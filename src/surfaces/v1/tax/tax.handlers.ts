import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import type { TaxLine } from '../../../cart/tax.js';
import type { TaxRateRow } from '../../../data/tax-rates.js';
import { problem } from '../../../platform/problem.js';
import { changeContext, refused, sendCart } from '../cart-answers.js';
import { pathIdIssue } from '../carts/carts.schemas.js';
import { keyCursor, keyedPage } from '../paging.js';
import type * as r from './tax.routes.js';
import type { TaxRateView } from './tax.schemas.js';

type Ctx = Context<AppEnv>;

/** A stored rate as API.md §11 shows it. */
const rateView = ({ rateBp, createdAt, updatedAt, ...row }: TaxRateRow): TaxRateView => ({
  ...row,
  rate_bp: rateBp,
  created_at: new Date(createdAt).toISOString(),
  updated_at: new Date(updatedAt).toISOString(),
});

const sendRate = <S extends 200 | 201>(c: Ctx, row: TaxRateRow, status: S) => {
  c.header('ETag', `"${row.version}"`);
  return c.json(rateView(row), status);
};

const noRate = (c: Ctx) => problem(c, 404, 'not-found', 'No tax rate with that id.');

export const putTaxRate: RouteHandler<typeof r.putTaxRate, AppEnv> = async (c) => {
  const id = c.req.param('rateId');
  const { id: bodyId, rate_bp, ...body } = c.req.valid('json');
  const issue = pathIdIssue('rateId', id, bodyId);
  if (issue !== undefined)
    return problem(c, 422, 'validation-failed', 'The request body has 1 invalid field.', [issue]);
  const { created, row } = await c.get('store').taxRates.put({ ...body, id, rateBp: rate_bp }, c.get('now')());
  return created ? sendRate(c, row, 201) : sendRate(c, row, 200);
};

export const getTaxRate: RouteHandler<typeof r.getTaxRate, AppEnv> = async (c) => {
  const row = await c.get('store').taxRates.get(c.req.param('rateId'));
  return row === undefined ? noRate(c) : sendRate(c, row, 200);
};

export const deleteTaxRate: RouteHandler<typeof r.deleteTaxRate, AppEnv> = async (c) => {
  const gone = await c.get('store').taxRates.remove(c.req.param('rateId'));
  return gone ? c.body(null, 204) : noRate(c);
};

const cursors = keyCursor('t');

export const listTaxRates: RouteHandler<typeof r.listTaxRates, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const page = await keyedPage(
    c,
    query,
    cursors,
    'id',
    (limit, after) => c.get('store').taxRates.list(limit, after),
    rateView,
  );
  if ('refused' in page) return page.refused;
  return c.json({ tax_rates: page.items, next_cursor: page.next }, 200);
};

export const setCartTax: RouteHandler<typeof r.setCartTax, AppEnv> = async (c) => {
  const mode = c.get('config').TAX;
  if (mode !== 'external')
    return problem(
      c,
      409,
      'conflict',
      mode === 'none'
        ? 'This service charges no tax (TAX=none): there is no tax to set.'
        : 'This service works the tax out from its own tax rates (TAX=rates): it takes none from outside.',
    );
  const m = changeContext(c);
  if (m instanceof Response) return m;
  // A tax is worked out for one version of the cart: If-Match names exactly that one.
  if (!Array.isArray(m.when.ifMatch) || m.when.ifMatch.length !== 1)
    return problem(
      c,
      428,
      'precondition-required',
      'Send If-Match with the one ETag of the cart the tax was worked out for (not *, not a list).',
    );
  const body = c.req.valid('json');
  const lines = (taxLines: typeof body.shipping_tax_lines): TaxLine[] =>
    taxLines.map(({ rate_id, name, rate_bp, amount }) => ({ rate_id: rate_id ?? null, name, rate_bp, amount }));
  const outcome = await c.get('store').carts.setTax(m, {
    items: Object.fromEntries(body.items.map((item) => [item.id, lines(item.tax_lines)])),
    shipping: lines(body.shipping_tax_lines),
  });
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  return refused(c, outcome);
};
