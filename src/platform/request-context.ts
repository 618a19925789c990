import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env.js';
import type { Logger } from './logger.js';

/** What is known of a request once it is answered; no bodies, no headers, no ids. */
export interface RequestRecord {
  method: string;
  /** The route pattern (`/v1/carts/:cartId`), so metrics and logs do not grow with ids. */
  route: string;
  status: number;
  durationMs: number;
}

/**
 * The headers every response carries: those the OWASP REST Security Cheat
 * Sheet asks of a JSON API (a Content-Security-Policy that allows nothing,
 * frame-ancestors included; nosniff; X-Frame-Options; HSTS), with
 * Referrer-Policy and Cross-Origin-Resource-Policy. The rest of Hono's
 * secureHeaders set (X-XSS-Protection, X-Download-Options, COOP, …) guards
 * HTML pages in old browsers and is left out. They are set before the handler
 * runs, so a route that serves a page (the docs) can replace the policy with
 * its own. A runtime may set them itself, more cheaply than through the
 * context (the Node server does).
 */
export const SECURE_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
];

const SANE_REQUEST_ID = /^[\w=-]{1,255}$/;

/** A request's id: the caller's `X-Request-Id` when it is sane (≤ 255 of `[A-Za-z0-9_=-]`), else a new UUID. */
export const requestIdFrom = (sent: string | undefined) =>
  sent !== undefined && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();

/**
 * The first middleware of every request, in one step: its id (the caller's
 * `X-Request-Id` when sane, else a new UUID), the secure headers, the
 * request's variables, and afterwards one log line and one metrics record.
 * The headers are prepared on the context, so every handler answers through
 * it (`c.json`, `c.body`), never with a bare `new Response`.
 *
 * @example
 * app.use(requestContext({ logger, variables: () => ({ config, now: Date.now, clientAddress }) }));
 */
export function requestContext(options: {
  logger: Logger;
  observe?: ((record: RequestRecord) => void) | undefined;
  /** The per-request variables (each surface opens the store: it depends on the request's bookmark). */
  variables: (env: unknown) => Omit<AppEnv['Variables'], 'requestId' | 'store'>;
  /**
   * Set when the runtime itself puts SECURE_HEADERS and `X-Request-Id`
   * (chosen by requestIdFrom) on every response: gives the id it chose.
   */
  presetBy?: ((bindings: unknown) => string) | undefined;
}): MiddlewareHandler<AppEnv> {
  const { logger, observe, variables, presetBy } = options;
  const logs = logger.enabled('info');
  return async (c, next) => {
    const started = performance.now();
    const preset = presetBy?.(c.env);
    const requestId = preset ?? requestIdFrom(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    const vars = variables(c.env);
    c.set('config', vars.config);
    c.set('now', vars.now);
    c.set('clientAddress', vars.clientAddress);
    c.set('announce', vars.announce);
    if (preset === undefined) {
      c.header('X-Request-Id', requestId);
      for (const [name, value] of SECURE_HEADERS) c.header(name, value);
    }
    await next();
    if (!logs && observe === undefined && c.res.status < 500) return;
    const pattern = routePath(c);
    const record: RequestRecord & { requestId: string } = {
      requestId,
      method: c.req.method,
      // A pattern ending in * belongs to middleware or a catch-all: no route answered.
      route: pattern === '' || pattern.endsWith('*') ? 'unmatched' : pattern,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (record.status >= 500) logger.error('request', record);
    else if (logs) logger.info('request', record);
    observe?.(record);
  };
}
