import { OpenAPIHono, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { listCarts as listCartRows } from '../../cart/carts.js';
import { cartSummaryView } from '../../cart/view.js';
import { requireAdminTokenProblem } from '../../lib/admin-auth.js';
import { validationHook } from '../../lib/openapi.js';
import { problem } from '../../lib/problem.js';
import * as r from './admin.routes.js';

const encodeCursor = (createdAt: number, id: string) => btoa(JSON.stringify([createdAt, id])).replaceAll('=', '');
function decodeCursor(cursor: string): { createdAt: number; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(atob(cursor));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // Falls through to undefined: any unreadable cursor is the same 422.
  }
  return undefined;
}

const listCarts: RouteHandler<typeof r.listCarts, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && after === undefined) {
    return problem(c, 422, 'validation-failed', 'The cursor is not one this service gave out.', [
      { path: 'cursor', message: 'Unknown cursor' },
    ]);
  }
  const page = await listCartRows(c.var.db, c.var.now(), limit, after);
  const last = page.rows.at(-1);
  const next = page.more && last ? encodeCursor(last.cart.createdAt, last.cart.id) : null;
  if (next !== null) {
    const url = new URL(c.req.url);
    url.search = new URLSearchParams({ limit: String(limit), cursor: next }).toString();
    c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  const carts = page.rows.map(({ cart, ...totals }) => cartSummaryView(cart, totals));
  return c.json({ carts, next_cursor: next }, 200);
};

/** Admin routes: bearer ADMIN_TOKEN, and closed (403) while it is not set. */
const admin = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
admin.use('/v1/admin/*', async (c, next) => {
  if (c.var.config.ADMIN_TOKEN === undefined) {
    return problem(c, 403, 'forbidden', 'Admin routes are disabled until ADMIN_TOKEN is set.');
  }
  return next();
});
admin.use('/v1/admin/*', requireAdminTokenProblem('Send Authorization: Bearer <admin token>.'));
export const adminRoutes = admin.openapi(r.listCarts, listCarts);
