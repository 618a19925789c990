import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { requireAdminToken } from '../../lib/admin-auth.js';
import { methodNotAllowed } from '../../lib/method-not-allowed.js';
import * as h from './classic.handlers.js';

const LIST = '/api/cart-items';
const DETAIL = '/api/cart-items/:id';

// DRF's wording for the two ways a token check fails.
const guard = requireAdminToken((c, failure) =>
  failure === 'missing'
    ? h.classicError(c, 401, { detail: 'Authentication credentials were not provided.' })
    : h.classicError(c, 403, { detail: 'Invalid token.' }),
);

/**
 * The classic tutorial surface. The app is non-strict about trailing slashes,
 * so `/api/cart-items` and `/api/cart-items/` are the same route.
 */
export const classicRoutes = new Hono<AppEnv>({ strict: false })
  .use(LIST, guard)
  .use(`${LIST}/*`, guard)
  .get(LIST, h.listItems)
  .post(LIST, h.createItem)
  .get(DETAIL, h.getItem)
  .patch(DETAIL, h.updateItem)
  .delete(DETAIL, h.deleteItem)
  .all(
    LIST,
    methodNotAllowed(['GET', 'POST'], (c, method) =>
      h.classicError(c, 405, { detail: `Method "${method}" not allowed.` }),
    ),
  )
  .all(
    DETAIL,
    methodNotAllowed(['GET', 'PATCH', 'DELETE'], (c, method) =>
      h.classicError(c, 405, { detail: `Method "${method}" not allowed.` }),
    ),
  );
