import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.js';
import type { AppConfig } from './config.js';
import { DEFAULT_CART_ID } from './db/schema.js';
import type { Db } from './db/store.js';
import { requireAdminTokenProblem } from './lib/admin-auth.js';
import { BODY_LIMIT } from './lib/body.js';
import { IDEMPOTENCY_REFUSALS, type IdempotencyRefusal, idempotency } from './lib/idempotency.js';
import { createLogger } from './lib/logger.js';
import { methodNotAllowed } from './lib/method-not-allowed.js';
import { problem } from './lib/problem.js';
import { type RateLimiter, rateLimit } from './lib/rate-limit.js';
import { type RequestRecord, requestLog } from './lib/request-log.js';
import { adminRoutes } from './routes/admin/admin.index.js';
import { cartRoutes } from './routes/carts/carts.index.js';
import { classicError } from './routes/classic/classic.handlers.js';
import { registerClassicDocs } from './routes/classic/classic.openapi.js';
import { classicRoutes } from './routes/classic/classic.routes.js';
import { docsRoutes } from './routes/docs/docs.routes.js';
import { healthRoutes } from './routes/health/health.routes.js';

export interface AppDeps {
  config: AppConfig;
  /** The store for a request: Workers build it from the request's bindings, Node returns the one it opened. */
  db: (bindings: unknown) => Db;
  /** Epoch milliseconds; tests pass a clock they can move. */
  now?: () => number;
  /** Serves `/docs/assets/*` where the platform does not (Node); Workers serve them as static assets. */
  docsAssets?: MiddlewareHandler;
  /** Called with every answered request, for metrics. */
  observe?: (record: RequestRecord) => void;
  /** Renders `GET /metrics`; without it the route does not exist (Workers). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Compress responses (Node); on Workers Cloudflare's edge does it. */
  compress?: boolean;
  /** Counts requests per client while RATE_LIMIT_PER_MINUTE > 0, with how to name the client. */
  rateLimit?: { limiter: RateLimiter; clientKey: (c: Context<AppEnv>) => string };
}

/** Request headers a browser client may send, and response headers it may read, under CORS. */
const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Request-Id',
];
const CORS_EXPOSE_HEADERS = [
  'ETag',
  'Location',
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
];

// JSON needs no sources at all; the docs page loads only its own files (Swagger UI sets inline styles).
const apiHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginEmbedderPolicy: false,
});
const docsHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
  crossOriginEmbedderPolicy: false,
});
const isDocs = (path: string) => path === '/docs' || path.startsWith('/docs/');

const isClassic = (path: string) => path === '/api/cart-items' || path.startsWith('/api/cart-items/');

/** The methods of each /v1 path, for 405 answers with `Allow`. */
const V1_METHODS: Array<[string, string[]]> = [
  ['/v1/carts', ['POST']],
  ['/v1/carts/:cartId', ['GET', 'DELETE']],
  ['/v1/carts/:cartId/items', ['POST', 'DELETE']],
  ['/v1/carts/:cartId/items/:itemId', ['PATCH', 'DELETE']],
  ['/v1/admin/carts', ['GET']],
];

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
  const config = deps.config;
  const logger = createLogger(config.LOG_LEVEL);
  const app = new OpenAPIHono<AppEnv>({ strict: false });

  app.use(requestId());
  app.use(requestLog(logger, deps.observe));
  app.use((c, next) => (isDocs(c.req.path) ? docsHeaders(c, next) : apiHeaders(c, next)));
  if (config.CORS_ORIGINS.length > 0) {
    app.use(
      cors({
        origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
        allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: 600,
      }),
    );
  }
  if (deps.compress) {
    // Only the large, unversioned documents: compressing a cart would turn its
    // strong ETag weak (RFC 9110 §8.8.1), and If-Match compares strongly.
    const gzip = compress();
    for (const path of ['/openapi.json', '/docs', '/docs/*', '/metrics']) app.use(path, gzip);
  }
  app.use(async (c, next) => {
    c.set('config', config);
    c.set('db', deps.db(c.env));
    c.set('now', now);
    await next();
  });

  if (deps.rateLimit && config.RATE_LIMIT_PER_MINUTE > 0) {
    const limited = rateLimit(deps.rateLimit.limiter, deps.rateLimit.clientKey, (c, retryAfter) =>
      isClassic(c.req.path)
        ? classicError(c, 429, { detail: `Request was throttled. Expected available in ${retryAfter} seconds.` })
        : problem(c, 429, 'rate-limited', `Too many requests; retry in ${retryAfter} s.`),
    );
    for (const path of ['/v1/*', '/api/*']) app.use(path, limited);
  }

  // Before anything reads a body (the idempotency fingerprint, the validators).
  const tooLarge = (c: Context) =>
    isClassic(c.req.path)
      ? classicError(c, 413, { detail: 'Request body is too large.' })
      : problem(c, 413, 'body-too-large', `The body is over ${BODY_LIMIT} bytes.`);
  const streamedLimit = bodyLimit({ maxSize: BODY_LIMIT, onError: tooLarge });
  app.use((c, next) => {
    // A declared length is checked from the header alone: touching the body
    // stream on Node builds a whole fetch Request, which cost 7-10% of a
    // request's CPU when profiled. The HTTP parser never delivers more than the
    // declared length. Chunked bodies are counted as they stream in.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(declared) > BODY_LIMIT ? Promise.resolve(tooLarge(c)) : next();
    }
    return streamedLimit(c, next);
  });
  // The default cart is reachable by a well-known id, so it is guarded like the classic surface.
  const guardDefault = requireAdminTokenProblem('The default cart needs Authorization: Bearer <admin token>.');
  app.use(`/v1/carts/${DEFAULT_CART_ID}`, guardDefault);
  app.use(`/v1/carts/${DEFAULT_CART_ID}/*`, guardDefault);

  const refuseProblem = (c: Context, why: IdempotencyRefusal) => {
    const detail = IDEMPOTENCY_REFUSALS[why];
    if (why === 'in-flight') {
      c.header('Retry-After', '1');
      return problem(c, 409, 'idempotency-in-flight', detail);
    }
    if (why === 'key-reuse') return problem(c, 422, 'idempotency-key-reuse', detail);
    return problem(c, 400, 'validation-failed', detail, [
      { path: 'Idempotency-Key', message: '1 to 255 printable ASCII characters' },
    ]);
  };
  // Keys are scoped per cart on item routes and globally on cart creation.
  app.use('/v1/carts', idempotency({ scope: () => 'carts', refuse: refuseProblem }));
  app.use(
    '/v1/carts/:cartId/items',
    idempotency({ scope: (c) => `cart:${c.req.param('cartId')}`, refuse: refuseProblem }),
  );
  app.use(
    '/api/cart-items',
    idempotency({
      scope: () => 'classic',
      refuse: (c, why) =>
        classicError(c, why === 'in-flight' ? 409 : why === 'key-reuse' ? 422 : 400, {
          detail: IDEMPOTENCY_REFUSALS[why],
        }),
    }),
  );

  app.route('/', healthRoutes);
  app.route('/', classicRoutes);
  app.route('/', cartRoutes);
  app.route('/', adminRoutes);
  app.route('/', docsRoutes);
  const { metrics } = deps;
  if (metrics) {
    const guard = requireAdminTokenProblem(
      'GET /metrics needs Authorization: Bearer <admin token> while ADMIN_TOKEN is set.',
    );
    app.get('/metrics', guard, async (c) => {
      const { contentType, body } = await metrics();
      return c.body(body, 200, { 'Content-Type': contentType });
    });
  }
  if (deps.docsAssets) app.use('/docs/assets/*', deps.docsAssets);

  for (const [path, methods] of V1_METHODS) {
    app.all(
      path,
      methodNotAllowed(methods, (c, method) =>
        problem(c, 405, 'method-not-allowed', `${method} is not allowed here; use ${methods.join(' or ')}.`),
      ),
    );
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });
  registerClassicDocs(app.openAPIRegistry);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'edgecart',
      version: '1',
      description: 'A shopping-cart API: the classic `/api/cart-items/` surface and the `/v1` cart API.',
    },
  });

  app.notFound((c) =>
    isClassic(c.req.path)
      ? classicError(c, 404, { detail: 'Not found.' })
      : problem(c, 404, 'not-found', 'No such route.'),
  );

  app.onError((error, c) => {
    if (error instanceof HTTPException && !isClassic(c.req.path)) {
      // Raised by the body validators before a handler runs.
      if (error.status === 400) return problem(c, 400, 'malformed-json', 'The body is not valid JSON.');
      if (error.status === 415) return problem(c, 415, 'unsupported-media-type', 'Send the body as application/json.');
    }
    // The body says nothing of the cause: no stack, no SQL. The log has it, with the request id.
    logger.error('unhandled error', { requestId: c.var.requestId, error: String(error), stack: error.stack });
    return isClassic(c.req.path)
      ? classicError(c, 500, { detail: 'A server error occurred.' })
      : problem(c, 500, 'internal-error', `Something went wrong; quote request id ${c.var.requestId}.`);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
