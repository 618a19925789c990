import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import * as carts from '../../cart/carts.js';
import { mergeLines } from '../../cart/merge.js';
import { CART_ID_PATTERN, canonicalMetadata, newCartId } from '../../cart/rules.js';
import { cartView, etagOf } from '../../cart/view.js';
import { DEFAULT_CART_ID } from '../../db/schema.js';
import { noneMatchHits, parseEntityTags, versionsFromIfMatch } from '../../lib/conditional.js';
import { problem } from '../../lib/problem.js';
import { diagnoseAdd, diagnoseUpdate } from './carts.diagnose.js';
import type * as routes from './carts.routes.js';

type Ctx = Context<AppEnv>;

const noCart = (c: Ctx) => problem(c, 404, 'not-found', 'No cart with that id (it may have expired).');
const noLine = (c: Ctx) => problem(c, 404, 'not-found', 'No line with that id in this cart.');

/** A cart id in its shape, or the default cart's; anything else cannot exist. */
const cartIdOf = (c: Ctx) => {
  const id = c.req.param('cartId') ?? '';
  return id === DEFAULT_CART_ID || CART_ID_PATTERN.test(id) ? id : undefined;
};
const lineIdOf = (c: Ctx) => {
  const raw = c.req.param('itemId') ?? '';
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : undefined;
};

/** The mutation context of a request, or the 400 for a malformed If-Match. */
function mutationContext(c: Ctx, cartId: string) {
  const condition = parseEntityTags(c.req.header('if-match'));
  if (condition === 'malformed')
    return problem(c, 400, 'validation-failed', 'The If-Match header is malformed.', [
      { path: 'If-Match', message: 'Expected * or a list of entity tags such as "4"' },
    ]);
  const context: carts.MutationContext = {
    cartId,
    now: c.var.now(),
    ttlDays: c.var.config.CART_TTL_DAYS,
    ifVersions: condition === undefined ? undefined : versionsFromIfMatch(condition),
  };
  return context;
}

const isResponse = (value: object): value is Response => value instanceof Response;

/** The cart, line and mutation context a line route addresses, or the answer that ends it. */
function lineTarget(c: Ctx) {
  const id = cartIdOf(c);
  if (id === undefined) return noCart(c);
  const m = mutationContext(c, id);
  if (isResponse(m)) return m;
  const lineId = lineIdOf(c);
  if (lineId === undefined) return noLine(c);
  return { id, m, lineId };
}

/** The cart and its ETag as a mutation's answer. */
function sendCart<S extends 200 | 201>(
  c: Ctx,
  result: { cart: carts.MutationResult['cart']; lines: carts.MutationResult['lines'] },
  status: S,
) {
  // Callers send a cart read in the same batch as a change that applied, so it exists.
  if (!result.cart) throw new Error('a changed cart could not be read back');
  c.header('ETag', etagOf(result.cart));
  return c.json(cartView(result.cart, result.lines), status);
}

/** What a mutation that did not apply answers: 404, 412, or the refusal `otherwise` names. */
function refused<R>(c: Ctx, m: carts.MutationContext, result: carts.MutationResult<unknown>, otherwise: () => R) {
  if (!result.cart) return noCart(c);
  if (m.ifVersions !== undefined && !m.ifVersions.includes(result.cart.version)) {
    c.header('ETag', etagOf(result.cart));
    return problem(c, 412, 'precondition-failed', `The cart is at ETag ${etagOf(result.cart)}; nothing changed.`);
  }
  return otherwise();
}

export const createCart: RouteHandler<typeof routes.createCart, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const merged = mergeLines(body.items ?? []);
  if (!merged.ok) return problem(c, merged.status, merged.slug, merged.detail, merged.errors);
  const id = newCartId();
  const cart = {
    id,
    currency: body.currency ?? c.var.config.DEFAULT_CURRENCY,
    metadata: canonicalMetadata(body.metadata),
  };
  const created = await carts.createCart(c.var.db, cart, merged.lines, c.var.now(), c.var.config.CART_TTL_DAYS);
  if (!created) throw new Error('a cart just created could not be read');
  c.header('Location', `/v1/carts/${id}`);
  return sendCart(c, created, 201);
};

export const getCart: RouteHandler<typeof routes.getCart, AppEnv> = async (c) => {
  const condition = parseEntityTags(c.req.header('if-none-match'));
  if (condition === 'malformed')
    return problem(c, 400, 'validation-failed', 'The If-None-Match header is malformed.', [
      { path: 'If-None-Match', message: 'Expected * or a list of entity tags such as "4"' },
    ]);
  const id = cartIdOf(c);
  const found = id === undefined ? undefined : await carts.readCart(c.var.db, id, c.var.now());
  if (!found) return noCart(c);
  c.header('ETag', etagOf(found.cart));
  if (condition !== undefined && noneMatchHits(condition, found.cart.version)) return c.body(null, 304);
  return c.json(cartView(found.cart, found.lines), 200);
};

export const deleteCart: RouteHandler<typeof routes.deleteCart, AppEnv> = async (c) => {
  const id = cartIdOf(c);
  if (id === undefined) return noCart(c);
  if (id === DEFAULT_CART_ID)
    return problem(c, 409, 'conflict', 'The default cart cannot be deleted; empty it instead.');
  const m = mutationContext(c, id);
  if (isResponse(m)) return m;
  if (await carts.deleteCart(c.var.db, id, m.now, m.ifVersions)) return c.body(null, 204);
  const current = await carts.readCart(c.var.db, id, m.now);
  return refused(c, m, { applied: false, cart: current?.cart, lines: [] }, () => noCart(c));
};

export const addItem: RouteHandler<typeof routes.addItem, AppEnv> = async (c) => {
  const id = cartIdOf(c);
  if (id === undefined) return noCart(c);
  const m = mutationContext(c, id);
  if (isResponse(m)) return m;
  const body = c.req.valid('json');
  const line = {
    productId: body.product_id,
    name: body.name,
    unitPrice: body.unit_price,
    quantity: body.quantity,
    metadata: canonicalMetadata(body.metadata),
  };
  const result = await carts.addLine(c.var.db, m, line);
  if (!result.applied) return refused(c, m, result, () => diagnoseAdd(c, result, line));
  return sendCart(c, result, result.detail?.merged ? 200 : 201);
};

export const updateItem: RouteHandler<typeof routes.updateItem, AppEnv> = async (c) => {
  const target = lineTarget(c);
  if (isResponse(target)) return target;
  const { id, m, lineId } = target;
  const body = c.req.valid('json');
  const change = {
    quantity: body.quantity,
    metadata: body.metadata === undefined ? undefined : canonicalMetadata(body.metadata),
  };
  if (change.quantity === undefined && change.metadata === undefined) {
    const current = await carts.readCart(c.var.db, id, m.now);
    if (!current) return noCart(c);
    return current.lines.some((row) => row.id === lineId) ? sendCart(c, current, 200) : noLine(c);
  }
  const result = await carts.updateLine(c.var.db, m, lineId, change);
  if (!result.applied) return refused(c, m, result, () => diagnoseUpdate(c, result, lineId, change));
  return sendCart(c, result, 200);
};

export const removeItem: RouteHandler<typeof routes.removeItem, AppEnv> = async (c) => {
  const target = lineTarget(c);
  if (isResponse(target)) return target;
  const { m, lineId } = target;
  const result = await carts.removeLines(c.var.db, m, lineId);
  if (!result.applied) return refused(c, m, result, () => noLine(c));
  return sendCart(c, result, 200);
};

export const clearCart: RouteHandler<typeof routes.clearCart, AppEnv> = async (c) => {
  const id = cartIdOf(c);
  if (id === undefined) return noCart(c);
  const m = mutationContext(c, id);
  if (isResponse(m)) return m;
  const result = await carts.removeLines(c.var.db, m);
  // Not applied on a live cart at the right version means it was already empty.
  if (!result.applied) return refused(c, m, result, () => sendCart(c, result, 200));
  return sendCart(c, result, 200);
};
