import type { Context, MiddlewareHandler } from 'hono';

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
