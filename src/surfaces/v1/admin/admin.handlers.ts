import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.js';
import { cartSummaryView } from '../../../cart/view.js';
import { linkNext, timeCursor, unknownCursor } from '../paging.js';
import type * as r from './admin.routes.js';

const cartCursors = timeCursor('c');

export const listCarts: RouteHandler<typeof r.listCarts, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const after = cursor === undefined ? undefined : cartCursors.decode(cursor);
  if (cursor !== undefined && after === undefined) return unknownCursor(c);
  const page = await c.get('store').carts.list(c.get('now')(), limit, after);
  const next = page.next === undefined ? null : cartCursors.encode(page.next);
  if (next !== null) linkNext(c, limit, next);
  const carts = page.rows.map(({ cart, ...totals }) => cartSummaryView(cart, totals));
  return c.json({ carts, next_cursor: next }, 200);
};
