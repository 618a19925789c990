import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../app-env.js';
import { requireAdminToken } from '../../lib/admin-auth.js';
import { BODY_LIMIT } from '../../lib/body.js';
import { methodNotAllowed } from '../../lib/method-not-allowed.js';
import * as h from './classic.handlers.js';

const LIST = '/api/cart-items';
const DETAIL = '/api/cart-items/:id';

const tooLarge = bodyLimit({
  maxSize: BODY_LIMIT,
  onError: (c) => h.classicError(c, 413, { detail: 'Request body is too large.' }),
});

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
  .post(LIST, tooLarge, h.createItem)
  .get(DETAIL, h.getItem)
  .patch(DETAIL, tooLarge, h.updateItem)
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
