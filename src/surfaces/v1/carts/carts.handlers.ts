import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import type { LineChange, NewLine, PriceSource } from '../../../cart/changes.js';
import { isCartId, newCartId, parseLineId } from '../../../cart/ids.js';
import { canonicalMetadata, type Metadata } from '../../../cart/metadata.js';
import { factsOf, judge, linesFromItems } from '../../../cart/model.js';
import { CATALOG_REASONS, explain } from '../../../cart/refusals.js';
import { etagOf } from '../../../cart/view.js';
import { type ChangeContext, reserveMinutesOf, reserving } from '../../../data/guarded.js';
import { isAdmin } from '../../../platform/admin-auth.js';
import { noneMatchHits, parseEntityTags } from '../../../platform/conditional.js';
import { problem } from '../../../platform/problem.js';
import { changeContext, noCart, refused, sendCart } from '../cart-answers.js';
import { conditionProblem, refusalProblem } from '../refusals.js';
import type * as routes from './carts.routes.js';

type Ctx = Context<AppEnv>;

const noLine = (c: Ctx) => problem(c, 404, 'not-found', 'No line with that id in this cart.');

/** A change to a cart's lines through the store; the refusal as a problem. */
async function changeLines<C extends LineChange, S extends 200 | 201>(
  c: Ctx,
  m: ChangeContext,
  change: C,
  status: (merged: boolean) => S,
) {
  const outcome = await c.get('store').carts.change(m, change);
  if (!outcome.applied) return refused(c, outcome);
  return sendCart(c, outcome.cart, status(outcome.merged));
}

type Problem422 = ReturnType<typeof problem<422>>;
type ItemBody = { product_id: string; name?: string | undefined; unit_price?: number | undefined };

/**
 * Where an item's price comes from (API.md §4), or the answer refusing it:
 * with `PRICES=client` the request names it; with `PRICES=catalog` the
 * catalog does, and a name or price sent needs the admin token.
 */
async function priceSourceOf(c: Ctx, item: ItemBody, at: string): Promise<PriceSource | Problem422> {
  const sent = (['name', 'unit_price'] as const).filter((field) => item[field] !== undefined);
  const missing = (['name', 'unit_price'] as const).filter((field) => item[field] === undefined);
  const required = (why: string) =>
    problem(
      c,
      422,
      'validation-failed',
      why,
      missing.map((field) => ({ path: `${at}${field}`, message: 'Required' })),
    );
  if (c.get('config').PRICES === 'client')
    return missing.length === 0 ? 'custom' : required('With PRICES=client every line names its name and unit_price.');
  if (sent.length === 0) return 'catalog';
  if (!(await isAdmin(c)))
    return problem(
      c,
      422,
      'client-price-not-allowed',
      'Prices and names come from the catalog; only the admin token may set them.',
      sent.map((field) => ({ path: `${at}${field}`, message: 'Not allowed without the admin token' })),
    );
  return missing.length === 0 ? 'custom' : required('A custom price names both name and unit_price.');
}

/**
 * A line as a request names it. A catalog line's name and price are filled
 * from the catalog later (by the add's own statement, or the new cart's read).
 */
const lineOf = (
  item: ItemBody & { quantity: number; metadata?: Metadata | undefined },
  priceSource: PriceSource,
): NewLine => ({
  productId: item.product_id,
  name: item.name ?? '',
  unitPrice: item.unit_price ?? 0,
  quantity: item.quantity,
  metadata: canonicalMetadata(item.metadata),
  priceSource,
});

export const createCart: RouteHandler<typeof routes.createCart, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const currency = body.currency ?? c.get('config').DEFAULT_CURRENCY;
  const items: NewLine[] = [];
  for (const [index, item] of (body.items ?? []).entries()) {
    const source = await priceSourceOf(c, item, `items.${index}.`);
    if (source instanceof Response) return source;
    items.push(lineOf(item, source));
  }
  const unpriced = items.filter((item) => item.priceSource === 'catalog');
  if (unpriced.length > 0) {
    // One read of the catalog prices every catalog line of the new cart alike.
    const catalog = await c.get('store').products.priced(
      unpriced.map((item) => item.productId ?? ''),
      currency,
    );
    for (const [index, item] of items.entries()) {
      if (item.priceSource !== 'catalog') continue;
      const product = catalog.get(item.productId ?? '');
      const refusal =
        product === undefined ? 'product-unavailable' : product.price === null ? 'price-unavailable' : undefined;
      if (refusal !== undefined) {
        const message = CATALOG_REASONS[refusal];
        return problem(c, 422, refusal, message, [{ path: `items.${index}.product_id`, message }]);
      }
      item.name = product?.name ?? '';
      item.unitPrice = product?.price ?? 0;
    }
  }
  const planned = linesFromItems(items);
  if (!planned.ok) return refusalProblem(c, planned.refusal, planned.message, `items.${planned.index}`);
  const id = newCartId();
  const cart = { id, currency, metadata: canonicalMetadata(body.metadata), customerId: c.get('caller').customerId };
  const config = c.get('config');
  const created = await c
    .get('store')
    .carts.create(cart, planned.lines, c.get('now')(), config.CART_TTL_DAYS, reserveMinutesOf(config));
  if ('short' in created) {
    // With INVENTORY=reserve the lines reserve their units, or the cart is not made (README, Stock).
    const errors = created.short.map(({ productId, available }) => ({
      path: `items.${items.findIndex((line) => line.productId === productId)}.quantity`,
      message: `Only ${available} of ${productId} available.`,
      available,
    }));
    return problem(c, 409, 'insufficient-stock', STOCK_SHORT, errors);
  }
  c.header('Location', `/v1/carts/${id}`);
  return sendCart(c, created, 201);
};

/** Why a cart with items was not made under INVENTORY=reserve. */
const STOCK_SHORT =
  'Not enough of a product is available for the items: `errors` lists each, with how many the cart may hold. No cart was made.';

export const getCart: RouteHandler<typeof routes.getCart, AppEnv> = async (c) => {
  const condition = parseEntityTags(c.req.header('if-none-match'));
  if (typeof condition === 'string') return conditionProblem(c, 'If-None-Match', condition);
  const id = c.req.param('cartId');
  const found = isCartId(id)
    ? await c.get('store').carts.read(id, c.get('now')(), c.get('caller'), reserving(c.get('config')))
    : undefined;
  if (!found) return noCart(c);
  // A cart holding discount codes, a shipping address or a delivery, or taxed by rates, is worked out anew
  // at each read (time, the codes' definitions, the shipping and tax rates, a product's tax category move its
  // totals without a new version): it is always sent. So is every cart while stock is tracked: its warnings
  // move with the stock and other carts' reservations (README, Stock).
  if (
    condition !== undefined &&
    c.get('config').INVENTORY === 'none' &&
    found.codes === '[]' &&
    found.delivery === null &&
    (found.tax === null || c.get('config').TAX !== 'rates') &&
    noneMatchHits(condition, found.version)
  ) {
    c.header('ETag', etagOf(found));
    return c.body(null, 304);
  }
  return sendCart(c, found, 200);
};

export const deleteCart: RouteHandler<typeof routes.deleteCart, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').carts.remove(m);
  return outcome.applied ? c.body(null, 204) : refused(c, outcome);
};

export const addItem: RouteHandler<typeof routes.addItem, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const body = c.req.valid('json');
  const source = await priceSourceOf(c, body, '');
  if (source instanceof Response) return source;
  const line = lineOf(body, source);
  return changeLines(c, m, { kind: 'add', line } as const, (merged): 200 | 201 => (merged ? 200 : 201));
};

export const updateItem: RouteHandler<typeof routes.updateItem, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const lineId = parseLineId(c.req.param('itemId'));
  if (lineId === undefined) return noLine(c);
  const { quantity, metadata } = c.req.valid('json');
  if (quantity === undefined && metadata === undefined) {
    // `{}` changes nothing, but the line and the preconditions are judged by the same rules.
    const current = await c.get('store').carts.state(m.cartId, m.now, m.caller, m.reserveMinutes !== null);
    if (!current) return noCart(c);
    const nothing = { kind: 'update', lineId, set: {} } as const;
    const refusal = judge(current, nothing, m.when, m.now);
    if (refusal === undefined) return sendCart(c, current.document, 200);
    return refused(c, {
      refusal,
      message: explain(refusal, factsOf(current, nothing), nothing),
      cart: current.document,
    });
  }
  if (quantity === 0) return changeLines(c, m, { kind: 'remove', lineId } as const, () => 200 as const);
  const set = { quantity, metadata: metadata && canonicalMetadata(metadata) };
  return changeLines(c, m, { kind: 'update', lineId, set } as const, () => 200 as const);
};

export const updateCart: RouteHandler<typeof routes.updateCart, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').carts.details(m, c.req.valid('json'));
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  if (outcome.refusal === 'details-invalid')
    return problem(c, 422, 'validation-failed', outcome.message, outcome.errors);
  return refused(c, outcome);
};

export const removeItem: RouteHandler<typeof routes.removeItem, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const lineId = parseLineId(c.req.param('itemId'));
  if (lineId === undefined) return noLine(c);
  return changeLines(c, m, { kind: 'remove', lineId } as const, () => 200 as const);
};

export const clearCart: RouteHandler<typeof routes.clearCart, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').carts.change(m, { kind: 'clear' } as const);
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  // An empty cart emptied again: nothing to do, and no error.
  if (outcome.refusal === 'unchanged' && outcome.cart) return sendCart(c, outcome.cart, 200);
  return refused(c, { ...outcome, refusal: outcome.refusal === 'unchanged' ? 'cart-not-found' : outcome.refusal });
};
