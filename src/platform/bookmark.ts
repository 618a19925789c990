import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { type Consistency, isBookmark, type Store } from '../data/store.js';

/** Opens a request's store for a given consistency; each runtime brings its own. */
export type OpenStore = (bindings: unknown, consistency: Consistency) => Store;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Opens the request's store from the client's `X-Bookmark` (API.md §9) and
 * answers with the store's bookmark, on every answer, errors included. A
 * malformed bookmark is ignored here and refused by {@link requireValidBookmark}
 * once authorization has run.
 *
 * @example
 * app.use(sessionStore(open));
 */
export function sessionStore(open: OpenStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sent = c.req.header('x-bookmark');
    const store = open(c.env, {
      bookmark: sent !== undefined && isBookmark(sent) ? sent : undefined,
      writes: !READS.has(c.req.method),
    });
    c.set('store', store);
    const { bookmark } = store;
    if ('now' in bookmark) {
      // Never behind what the client was sent (by another process, a little ahead of this one's clock).
      const now = bookmark.now();
      c.header('X-Bookmark', sent !== undefined && sent > now && bookmark.issued(sent) ? sent : now);
    }
    await next();
    if ('after' in bookmark) c.header('X-Bookmark', await bookmark.after());
  };
}

/**
 * Refuses an `X-Bookmark` the service could not have issued (as the
 * request's store judges it: its form, and on Node its time), with the
 * surface's own 400.
 *
 * @example
 * app.use(requireValidBookmark((c) => c.json({ error: 'bad bookmark' }, 400)));
 */
export function requireValidBookmark(refuse: (c: Context<AppEnv>) => Response): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sent = c.req.header('x-bookmark');
    if (sent !== undefined && !c.get('store').bookmark.issued(sent)) return refuse(c);
    return next();
  };
}

/** X-Bookmark (API.md §9), as a request header every operation takes. */
export const bookmarkHeader = z.object({
  'x-bookmark': z.string().optional().openapi({
    description:
      'The `X-Bookmark` of the last answer this client had: the read sees at least everything up to it, from any location. A value the service did not give out is refused (400).',
    example: '00000000-00000003-00000000-00000000000000000000000000000000',
  }),
});

const bookmarkAnswer = {
  'X-Bookmark': {
    description:
      'The latest bookmark of this request’s session: send it with the next request (and keep it beside the cart id).',
    schema: { type: 'string' as const },
  },
};

/** Every answer of an operation with the X-Bookmark it carries. */
export function withBookmark<T extends Record<string, object>>(responses: T): T {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const headers = 'headers' in response ? (response.headers as object) : {};
      return [status, { ...response, headers: { ...headers, ...bookmarkAnswer } }];
    }),
  ) as T;
}
