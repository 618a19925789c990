import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * The catch-all after a path's routes: OPTIONS answers 204 with `Allow`, any
 * other method 405 with `Allow` and the body `respond` makes.
 *
 * @example
 * app.all('/items', methodNotAllowed(['GET', 'POST'], (c) => c.json({ error: 'no' }, 405)));
 */
export function methodNotAllowed(
  methods: readonly string[],
  respond: (c: Context, method: string) => Response,
): MiddlewareHandler {
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  return async (c) => {
    c.header('Allow', allow);
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    return respond(c, c.req.method);
  };
}

/**
 * Adds the 405 catch-all to every path of `app` that has routes, with the
 * methods those routes take, so the list can never drift from the routes.
 *
 * @example
 * allowOnlyRoutedMethods(app, (c, method, allowed) => c.json({ method, allowed }, 405));
 */
export function allowOnlyRoutedMethods(
  app: Hono<AppEnv> | OpenAPIHono<AppEnv>,
  respond: (c: Context, method: string, allowed: readonly string[]) => Response,
) {
  const byPath = new Map<string, string[]>();
  for (const { path, method } of app.routes) {
    if (method === 'ALL' || path.endsWith('*')) continue;
    const methods = byPath.get(path) ?? [];
    if (!methods.includes(method)) methods.push(method);
    byPath.set(path, methods);
  }
  for (const [path, methods] of byPath) {
    app.all(
      path,
      methodNotAllowed(methods, (c, method) => respond(c, method, methods)),
    );
  }
}

/**
 * `guard` for every method but OPTIONS: an OPTIONS request (a CORS
 * preflight among them) carries no credentials and changes nothing, so it
 * reaches the route's `Allow` answer whatever the guard would ask.
 *
 * @example
 * app.use('/admin/*', exceptOptions(requireAdminTokenProblem('…')));
 */
export const exceptOptions =
  <E extends Env>(guard: MiddlewareHandler<E>): MiddlewareHandler<E> =>
  (c, next) =>
    c.req.method === 'OPTIONS' ? next() : guard(c, next);
