import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './app-env.js';
import type { AppConfig } from './config.js';
import type { Db } from './db/store.js';
import { classicError } from './routes/classic/classic.handlers.js';
import { classicRoutes } from './routes/classic/classic.routes.js';
import { healthRoutes } from './routes/health/health.routes.js';

export interface AppDeps {
  config: AppConfig;
  /** The store for a request: Workers build it from the request's bindings, Node returns the one it opened. */
  db: (bindings: unknown) => Db;
  /** Epoch milliseconds; tests pass a clock they can move. */
  now?: () => number;
}

const isClassic = (path: string) => path === '/api/cart-items' || path.startsWith('/api/cart-items/');

/**
 * Builds the whole HTTP app from its dependencies. It knows no runtime: the
 * Workers and Node entries differ only in the store they hand it.
 *
 * @example
 * const app = createApp({ config: loadConfig(process.env), db: () => store.db });
 * const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  const app = new Hono<AppEnv>({ strict: false });

  app.use(requestId());
  app.use(async (c, next) => {
    c.set('config', deps.config);
    c.set('db', deps.db(c.env));
    c.set('now', now);
    await next();
  });

  app.route('/', healthRoutes);
  app.route('/', classicRoutes);

  app.notFound((c) =>
    isClassic(c.req.path)
      ? classicError(c, 404, { detail: 'Not found.' })
      : c.json({ type: 'about:blank', title: 'Not Found', status: 404 }, 404, {
          'Content-Type': 'application/problem+json',
        }),
  );

  app.onError((error, c) => {
    // The body says nothing of the cause: no stack, no SQL. The log has it, with the request id.
    console.error(JSON.stringify({ level: 'error', requestId: c.var.requestId, message: String(error) }));
    return isClassic(c.req.path)
      ? classicError(c, 500, { detail: 'A server error occurred.' })
      : c.json({ type: 'about:blank', title: 'Internal Server Error', status: 500 }, 500, {
          'Content-Type': 'application/problem+json',
        });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
