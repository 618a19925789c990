import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env.js';
import { ANONYMOUS } from './cart/caller.js';
import type { AppConfig } from './config.js';
import type { OpenStore } from './platform/bookmark.js';
import { createLogger, type Logger, logUnexpected } from './platform/logger.js';
import { internalProblem, problem } from './platform/problem.js';
import type { RateLimiter } from './platform/rate-limit.js';
import { type RequestRecord, requestContext } from './platform/request-context.js';
import { registerClassicDocs } from './surfaces/classic/classic.openapi.js';
import { classicSurface } from './surfaces/classic/index.js';
import { DOCUMENT_INFO, SECURITY_SCHEMES } from './surfaces/ops/document.js';
import { opsSurface } from './surfaces/ops/index.js';
import { importBodyRequired } from './surfaces/v1/catalog/catalog.routes.js';
import { registerWebhooks } from './surfaces/v1/events/webhooks.js';
import { v1Surface } from './surfaces/v1/index.js';

export interface AppDeps {
  config: AppConfig;
  /**
   * Opens the store for a request, from its bindings and the consistency it
   * asks for: Workers open a D1 session per request, Node returns the one it opened.
   */
  store: OpenStore;
  /** Epoch milliseconds; tests pass a clock they can move. */
  now?: () => number;
  /** The client's address, for rate limits and the scope of cart-creation keys (default: `unknown`). */
  clientAddress?: (c: Context<AppEnv>) => string;
  /** Where log lines go (default: the console at LOG_LEVEL). */
  logger?: Logger;
  /** Serves `/docs/assets/<file>`: Node from the installed package, Workers from the ASSETS binding. */
  docsAssets?: MiddlewareHandler<AppEnv>;
  /** Called with every answered request, for metrics. */
  observe?: (record: RequestRecord) => void;
  /** Renders `GET /metrics`; without it the route does not exist (Workers). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /**
   * Set when the runtime puts the secure headers and `X-Request-Id` on every
   * response itself (Node's server does, through node:http): the request id it chose.
   */
  presetHeaders?: (bindings: unknown) => string;
  /** Compress the large documents (Node); on Workers Cloudflare's edge does it. */
  compress?: boolean;
  /** Counts requests per client while RATE_LIMIT_PER_MINUTE > 0. */
  rateLimiter?: RateLimiter;
  /** Hands committed events to the runtime's delivery (default: nothing; the sweep delivers them). */
  announce?: AppEnv['Variables']['announce'];
}

/** Request headers a browser client may send, and response headers it may read, under CORS. */
const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Request-Id',
  'X-Bookmark',
];
const CORS_EXPOSE_HEADERS = [
  'ETag',
  'Location',
  'Link',
  'X-Request-Id',
  'X-Bookmark',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
];

/**
 * Builds the whole HTTP app from its dependencies: the request context every
 * request shares, then the three surfaces, each its own app with its own
 * error format. It knows no runtime: the Workers and Node entries differ only
 * in what they hand it.
 *
 * @example
 * const app = createApp({ config: loadConfig(process.env), store: () => store });
 * const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps) {
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.LOG_LEVEL);
  const now = deps.now ?? Date.now;
  const clientAddress = deps.clientAddress ?? (() => 'unknown');
  const announce = deps.announce ?? (() => {});
  const rateLimiter = config.RATE_LIMIT_PER_MINUTE > 0 ? deps.rateLimiter : undefined;
  const app = new OpenAPIHono<AppEnv>({ strict: false });
  if (config.PRICES === 'catalog' && config.ADMIN_TOKEN === undefined)
    logger.warn(
      'ADMIN_TOKEN is unset: the classic surface and the default cart are open to anyone, and a cart holding classic lines cannot be checked out (their prices are not trusted)',
    );

  app.use(
    requestContext({
      logger,
      observe: deps.observe,
      variables: () => ({ config, now, clientAddress, announce, caller: ANONYMOUS }),
      presetBy: deps.presetHeaders,
    }),
  );
  if (config.CORS_ORIGINS.length > 0) {
    const grant = cors({
      origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
      allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: CORS_ALLOW_HEADERS,
      exposeHeaders: CORS_EXPOSE_HEADERS,
      maxAge: 600,
    });
    // hono's cors answers every OPTIONS itself; the route answers it first here, so the
    // preflight keeps what any OPTIONS answer carries (Allow, X-Bookmark), with CORS's headers added.
    app.use((c, next) => (c.req.method === 'OPTIONS' ? next().then(() => grant(c, async () => {})) : grant(c, next)));
  }
  if (deps.compress) {
    // Only the large, unversioned documents: compressing a cart would turn its
    // strong ETag weak (RFC 9110 §8.8.1), and If-Match compares strongly.
    const gzip = compress();
    for (const path of ['/openapi.json', '/docs', '/docs/*', '/metrics']) app.use(path, gzip);
  }

  app.route('/v1', v1Surface({ logger, rateLimiter, openStore: deps.store }));
  app.route('/api/cart-items', classicSurface({ logger, rateLimiter, openStore: deps.store }));
  registerClassicDocs(app.openAPIRegistry, '/api/cart-items');
  registerWebhooks(app.openAPIRegistry);
  let document: unknown;
  const documentOf = () => {
    document ??= importBodyRequired(app.getOpenAPI31Document(DOCUMENT_INFO));
    return document;
  };
  app.route(
    '/',
    opsSurface({ document: documentOf, docsAssets: deps.docsAssets, metrics: deps.metrics, openStore: deps.store }),
  );
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', SECURITY_SCHEMES.adminToken);
  app.openAPIRegistry.registerComponent('securitySchemes', 'customerToken', SECURITY_SCHEMES.customerToken);
  app.openAPIRegistry.registerComponent('securitySchemes', 'webhookSignature', SECURITY_SCHEMES.webhookSignature);

  app.notFound((c) => problem(c, 404, 'not-found', 'No such route.'));
  app.onError((error, c) => {
    // The body says nothing of the cause: no stack, no SQL. The log has it, with the request id.
    logUnexpected(logger, c.get('requestId'), error);
    return internalProblem(c, c.get('requestId'));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
