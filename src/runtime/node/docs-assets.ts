import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { DOCS_ASSETS } from '../../surfaces/ops/docs.js';

/**
 * The files of swagger-ui-dist that /docs loads, straight from the installed
 * package, and nothing else of it (its own index.html, source maps and
 * package.json stay unserved).
 */
export function docsAssets(): MiddlewareHandler<AppEnv> {
  const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = new Set<string>(DOCS_ASSETS);
  const serve = serveStatic({
    root,
    rewriteRequestPath: (path) => path.replace(/^\/docs\/assets/, ''),
    onFound: (_path, c) => {
      c.header('Cache-Control', 'public, max-age=86400');
    },
  });
  return (c, next) => (files.has(c.req.param('file') ?? '') ? serve(c, next) : next());
}
