import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { requireAdminToken } from '../../platform/admin-auth.js';
import { BODY_LIMIT, bodyLimit } from '../../platform/body-limit.js';
import { type OpenStore, requireValidBookmark, sessionStore } from '../../platform/bookmark.js';
import { IDEMPOTENCY_REFUSALS, type IdempotencyRefusal, idempotency } from '../../platform/idempotency.js';
import { type Logger, logUnexpected } from '../../platform/logger.js';
import { exceptOptions, methodNotAllowed } from '../../platform/method-not-allowed.js';
import { type RateLimiter, rateLimit } from '../../platform/rate-limit.js';
import * as h from './classic.handlers.js';

const REFUSAL_STATUS = { 'invalid-key': 400, 'key-reuse': 422, 'in-flight': 409 } as const;

const notAllowed = (methods: string[]) =>
  methodNotAllowed(methods, (c, method) => h.classicError(c, 405, { detail: `Method "${method}" not allowed.` }));

/**
 * The classic tutorial surface (API.md §1) as its own app, mounted at
 * `/api/cart-items`: DRF's envelope for every answer, the admin token (when
 * set) before anything else, then the body, then `Idempotency-Key` on POST.
 * The app is non-strict about trailing slashes, so every route answers with
 * and without one.
 *
 * @example
 * app.route('/api/cart-items', classicSurface({ logger }));
 */
export function classicSurface(deps: { logger: Logger; rateLimiter?: RateLimiter | undefined; openStore: OpenStore }) {
  const classic = new OpenAPIHono<AppEnv>({ strict: false });
  // Every answer carries X-Bookmark, refusals included, so the store opens first.
  classic.use(sessionStore(deps.openStore));
  if (deps.rateLimiter) {
    classic.use(
      rateLimit(deps.rateLimiter, (c, retryAfter) =>
        h.classicError(c, 429, { detail: `Request was throttled. Expected available in ${retryAfter} seconds.` }),
      ),
    );
  }
  // DRF's wording for the two ways a token check fails.
  classic.use(
    exceptOptions(
      requireAdminToken((c, failure) =>
        failure === 'missing'
          ? h.classicError(c, 401, { detail: 'Authentication credentials were not provided.' })
          : h.classicError(c, 403, { detail: 'Invalid token.' }),
      ),
    ),
  );
  classic.use(
    requireValidBookmark((c) =>
      h.classicError(c, 400, { 'X-Bookmark': ['Send back the X-Bookmark of an earlier answer, as it was.'] }),
    ),
  );
  classic.use(bodyLimit(BODY_LIMIT, (c) => h.classicError(c, 413, { detail: 'Request body is too large.' })));
  // One cart behind the whole surface: keys are scoped to it.
  const once = idempotency({
    scope: () => 'classic',
    refuse: (c: Context, why: IdempotencyRefusal) =>
      h.classicError(c, REFUSAL_STATUS[why], { detail: IDEMPOTENCY_REFUSALS[why] }),
  });

  classic
    .get('/', h.listItems)
    .post('/', once, h.createItem)
    .get('/:id', h.getItem)
    .patch('/:id', h.updateItem)
    .delete('/:id', h.deleteItem)
    .all('/', notAllowed(['GET', 'POST']))
    .all('/:id', notAllowed(['GET', 'PATCH', 'DELETE']))
    .all('*', (c) => h.classicError(c, 404, { detail: 'Not found.' }));

  classic.onError((error, c) => {
    logUnexpected(deps.logger, c.get('requestId'), error);
    return h.classicError(c, 500, { detail: 'A server error occurred.' });
  });
  return classic;
}
