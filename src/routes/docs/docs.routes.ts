import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { TITLES } from '../../lib/problem.js';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgecart API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so a strict Content-Security-Policy can stay on.
const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

const DESCRIPTIONS: Record<keyof typeof TITLES, string> = {
  'malformed-json': 'The request body is not valid JSON, or a header such as If-Match is malformed.',
  unauthorized: 'The route needs Authorization: Bearer <admin token> and none was sent.',
  forbidden: 'The admin token is wrong, or admin routes are disabled because ADMIN_TOKEN is not set.',
  'not-found': 'No such cart (or it expired), no such line in that cart, or no such route.',
  'method-not-allowed': 'The route exists but not for this method; the Allow header lists the methods it takes.',
  'cart-full': 'The cart already holds as many lines as it may (250 by default).',
  'idempotency-in-flight': 'A request with the same Idempotency-Key is still running. Retry after Retry-After seconds.',
  'idempotency-key-reuse':
    'The Idempotency-Key was first used with another request body; use a new key for a new request.',
  conflict: 'The change would clash with the current state, e.g. two lines with the same product, price and metadata.',
  'precondition-failed':
    "If-Match does not match the cart's current ETag; nothing changed. Read the cart again and retry.",
  'body-too-large': 'The request body is over 64 KiB.',
  'rate-limited':
    'Over RATE_LIMIT_PER_MINUTE requests from this client in the last minute. Retry after Retry-After seconds.',
  'unsupported-media-type': 'The request body must be application/json.',
  'validation-failed': 'The request breaks the schema; errors lists every offending path with a message.',
  'internal-error': 'Something failed inside the service. The response carries X-Request-Id; the log has the cause.',
};

export const docsRoutes = new Hono<AppEnv>()
  .get('/docs', (c) => c.html(page))
  .get('/docs/init.js', (c) => c.body(init, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
  .get('/problems/:slug', (c) => {
    const slug = c.req.param('slug') as keyof typeof TITLES;
    if (!Object.hasOwn(TITLES, slug)) return c.notFound();
    return c.json({ type: `/problems/${slug}`, title: TITLES[slug], description: DESCRIPTIONS[slug] });
  });
