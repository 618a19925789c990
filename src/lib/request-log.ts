import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env.js';
import type { Logger } from './logger.js';

/** What is known of a request once it is answered; no bodies, no headers. */
export interface RequestRecord {
  method: string;
  /** The route pattern (`/v1/carts/:cartId`), so metrics and logs do not grow with ids. */
  route: string;
  status: number;
  durationMs: number;
}

/**
 * Logs one line per request and hands the same record to `observe` (metrics).
 *
 * @example
 * app.use(requestLog(logger, (r) => histogram.observe(r.durationMs)));
 */
export function requestLog(logger: Logger, observe?: (record: RequestRecord) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const pattern = routePath(c);
    const record: RequestRecord = {
      method: c.req.method,
      // A pattern ending in * belongs to middleware: no route answered.
      route: pattern === '' || pattern.endsWith('*') ? 'unmatched' : pattern,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    const level = record.status >= 500 ? 'error' : 'info';
    logger[level]('request', { requestId: c.var.requestId, ...record });
    observe?.(record);
  };
}
