import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import { isOrderId, newEventId, newOrderId } from '../../../cart/ids.js';
import { canonicalMetadata } from '../../../cart/metadata.js';
import { taxSettingOf } from '../../../cart/tax.js';
import { etagOf } from '../../../cart/view.js';
import { shortLine, shownBody, viewSettingOf } from '../../../data/cart-view.js';
import { preconditions } from '../../../platform/conditional.js';
import { problem } from '../../../platform/problem.js';
import { changeContext, refused } from '../cart-answers.js';
import { orderPage } from '../paging.js';
import { conditionProblem } from '../refusals.js';
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
    inventory: config.INVENTORY,
  });
  if (outcome.placed) {
    c.get('announce')(c, [eventId]);
    c.header('Location', `/v1/orders/${orderId}`);
    // An order is placed at version 1 (README, The order lifecycle).
    c.header('ETag', '"1"');
    return sendOrder(c, outcome.order, 201);
  }
  if (outcome.refusal === 'total-changed' && outcome.cart) {
    const cart = JSON.parse(shownBody(outcome.cart, m.now, viewSettingOf(config))) as Record<string, unknown>;
    c.header('ETag', etagOf(outcome.cart));
    return problem(c, 409, 'total-changed', outcome.message, undefined, { total: outcome.total, cart });
  }
  if (outcome.refusal === 'insufficient-stock') {
    // Each line of a product the cart holds more of than is on hand (README, Stock); nothing changed.
    const errors = outcome.short.map(({ lineId, available }) => shortLine(lineId, available));
    return problem(c, 409, 'insufficient-stock', outcome.message, errors);
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

const noOrder = (c: Ctx) => problem(c, 404, 'not-found', 'No order with that id.');

export const getOrder: RouteHandler<typeof r.getOrder, AppEnv> = async (c) => {
  const id = c.req.param('orderId');
  const order = isOrderId(id) ? await c.get('store').orders.get(id, c.get('caller')) : undefined;
  if (order === undefined) return noOrder(c);
  c.header('ETag', `"${order.version}"`);
  return sendOrder(c, order.body, 200);
};

export const moveOrder: RouteHandler<typeof r.moveOrder, AppEnv> = async (c) => {
  const id = c.req.param('orderId');
  const when = preconditions(c.req.header('if-match'), undefined);
  if ('problem' in when) return conditionProblem(c, when.header, when.problem);
  const body = c.req.valid('json');
  if (!isOrderId(id)) return noOrder(c);
  const eventId = newEventId();
  const outcome = await c.get('store').orders.move({
    orderId: id,
    to: body.status,
    paymentReference: body.payment_reference ?? null,
    ifMatch: when.ifMatch,
    now: c.get('now')(),
    eventId,
    source: c.get('config').EVENT_SOURCE,
  });
  if (outcome.moved) {
    c.get('announce')(c, [eventId]);
    c.header('ETag', `"${outcome.version}"`);
    return sendOrder(c, outcome.body, 200);
  }
  if (outcome.refusal === 'not-found') return noOrder(c);
  if (outcome.refusal === 'precondition-failed') {
    c.header('ETag', `"${outcome.version}"`);
    return problem(c, 412, 'precondition-failed', 'The order is not at a version If-Match names; nothing changed.');
  }
  return problem(c, 409, 'transition-invalid', outcome.message, undefined, {
    order_status: outcome.from,
    allowed: outcome.allowed,
  });
};

export const listOrders: RouteHandler<typeof r.listOrders, AppEnv> = (c) => orderPage(c, c.req.valid('query'));
