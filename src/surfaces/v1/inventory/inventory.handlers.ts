import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import type { StockRow } from '../../../data/stock.js';
import { preconditions } from '../../../platform/conditional.js';
import { problem } from '../../../platform/problem.js';
import { pathIdIssue } from '../carts/carts.schemas.js';
import { keyCursor, keyedPage } from '../paging.js';
import { conditionProblem } from '../refusals.js';
import type * as r from './inventory.routes.js';
import type { StockView } from './inventory.schemas.js';

type Ctx = Context<AppEnv>;

/** A stock record as the README (Stock) shows it: what live reservations hold is not available. */
const stockView = (row: StockRow): StockView => {
  const { reserved } = row;
  return {
    product_id: row.productId,
    on_hand: row.onHand,
    reserved,
    available: Math.max(0, row.onHand - reserved),
    version: row.version,
    updated_at: new Date(row.updatedAt).toISOString(),
  };
};

const sendStock = <S extends 200 | 201>(c: Ctx, row: StockRow, status: S) => {
  c.header('ETag', `"${row.version}"`);
  return c.json(stockView(row), status);
};

const noStock = (c: Ctx) => problem(c, 404, 'not-found', 'No stock record for that product: it is not tracked.');
const badId = (c: Ctx, id: string) => {
  const issue = pathIdIssue('productId', id, undefined);
  return issue === undefined
    ? undefined
    : problem(c, 422, 'validation-failed', 'The request has 1 invalid field.', [issue]);
};

export const putStock: RouteHandler<typeof r.putStock, AppEnv> = async (c) => {
  const id = c.req.param('productId');
  const refused = badId(c, id);
  if (refused) return refused;
  const when = preconditions(c.req.header('if-match'), undefined);
  if ('problem' in when) return conditionProblem(c, when.header, when.problem);
  const { on_hand } = c.req.valid('json');
  const outcome = await c.get('store').stock.put(id, on_hand, when.ifMatch, c.get('now')());
  if ('refusal' in outcome) {
    if (outcome.row) c.header('ETag', `"${outcome.row.version}"`);
    return problem(
      c,
      412,
      'precondition-failed',
      'The stock record is not at a version If-Match names; nothing changed.',
    );
  }
  return outcome.created ? sendStock(c, outcome.row, 201) : sendStock(c, outcome.row, 200);
};

export const adjustStock: RouteHandler<typeof r.adjustStock, AppEnv> = async (c) => {
  const id = c.req.param('productId');
  const { delta } = c.req.valid('json');
  const outcome = await c.get('store').stock.adjust(id, delta, c.get('now')());
  if (!('refusal' in outcome)) return sendStock(c, outcome.row, 200);
  if (outcome.refusal === 'not-found' || outcome.row === undefined) return noStock(c);
  const onHand = outcome.row.onHand;
  return outcome.refusal === 'insufficient-stock'
    ? problem(
        c,
        409,
        'insufficient-stock',
        `Only ${onHand} on hand: a delta of ${delta} would take it below 0.`,
        undefined,
        {
          on_hand: onHand,
        },
      )
    : problem(c, 409, 'conflict', `${onHand} on hand: a delta of ${delta} would take it past 1,000,000,000.`);
};

export const getStock: RouteHandler<typeof r.getStock, AppEnv> = async (c) => {
  const row = await c.get('store').stock.get(c.req.param('productId'), c.get('now')());
  return row === undefined ? noStock(c) : sendStock(c, row, 200);
};

const cursors = keyCursor('s');

export const listStock: RouteHandler<typeof r.listStock, AppEnv> = async (c) => {
  const page = await keyedPage(
    c,
    c.req.valid('query'),
    cursors,
    'productId',
    (limit, after) => c.get('store').stock.list(limit, c.get('now')(), after),
    stockView,
  );
  if ('refused' in page) return page.refused;
  return c.json({ inventory: page.items, next_cursor: page.next }, 200);
};
