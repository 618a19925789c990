import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import { isOrderId, newEventId, newOrderId } from '../../../cart/ids.js';
import { canonicalMetadata } from '../../../cart/metadata.js';
import { taxSettingOf } from '../../../cart/tax.js';
import { etagOf } from '../../../cart/view.js';
import { shownBody } from '../../../data/cart-view.js';
import { problem } from '../../../platform/problem.js';
import { changeContext, refused } from '../cart-answers.js';
import { orderPage } from '../paging.js';
import type * as r from './orders.routes.js';
import type { OrderView } from './orders.schemas.js';

type Ctx = Context<AppEnv>;

/** An order as stored: the JSON the database built at checkout (data/checkout.ts), sent as it is. */
const sendOrder = <S extends 200 | 201>(c: Ctx, body: string, status: S) =>
  c.body(body, status, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<OrderView, S, 'json'>;

export const checkoutCart: RouteHandler<typeof r.checkout, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const body = c.req.valid('json');
  const config = c.get('config');
  const orderId = newOrderId();
  const eventId = newEventId();
  const outcome = await c.get('store').checkout({
    ...m,
    prices: config.PRICES,
    // With PRICES=catalog a custom price is trusted only where the admin token guards who sets it (API.md §4).
    trusted: config.PRICES === 'client' || config.ADMIN_TOKEN !== undefined,
    orderId,
    eventId,
    source: config.EVENT_SOURCE,
    email: body.email ?? null,
    metadata: canonicalMetadata(body.metadata),
    expectedTotal: body.expected_total ?? null,
    tax: taxSettingOf(config),
  });
  if (outcome.placed) {
    c.get('announce')(c, [eventId]);
    c.header('Location', `/v1/orders/${orderId}`);
    return sendOrder(c, outcome.order, 201);
  }
  if (outcome.refusal === 'total-changed' && outcome.cart) {
    const cart = JSON.parse(shownBody(outcome.cart, m.now, taxSettingOf(config))) as Record<string, unknown>;
    c.header('ETag', etagOf(outcome.cart));
    return problem(c, 409, 'total-changed', outcome.message, undefined, { total: outcome.total, cart });
  }
  if (outcome.refusal !== 'prices-changed') return refused(c, outcome);
  // The cart was repriced in this step: its new ETag, and every line that changed.
  if (outcome.cart) c.header('ETag', etagOf(outcome.cart));
  const errors = outcome.stale.map((line) =>
    line.newPrice === null
      ? {
          path: `items.${line.lineId}`,
          message: 'The product is no longer on sale in this currency; remove the line.',
          code: 'product-unavailable',
          old_price: line.oldPrice,
        }
      : {
          path: `items.${line.lineId}`,
          message: `The price changed from ${line.oldPrice} to ${line.newPrice}.`,
          old_price: line.oldPrice,
          new_price: line.newPrice,
        },
  );
  return problem(c, 409, 'prices-changed', outcome.message, errors);
};

export const getOrder: RouteHandler<typeof r.getOrder, AppEnv> = async (c) => {
  const id = c.req.param('orderId');
  const body = isOrderId(id) ? await c.get('store').orders.get(id, c.get('caller')) : undefined;
  return body === undefined ? problem(c, 404, 'not-found', 'No order with that id.') : sendOrder(c, body, 200);
};

export const listOrders: RouteHandler<typeof r.listOrders, AppEnv> = (c) => orderPage(c, c.req.valid('query'));
