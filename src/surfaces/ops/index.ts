import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { requireAdminTokenProblem } from '../../platform/admin-auth.js';
import { type OpenStore, sessionStore } from '../../platform/bookmark.js';
import { docsInit, docsPage, docsPolicy } from './docs.js';
import { problemType } from './problems.js';

export interface OpsDeps {
  /** The OpenAPI document of the whole service. */
  document: () => unknown;
  /** Serves `/docs/assets/<file>` (Node from swagger-ui-dist; Workers from the ASSETS binding). */
  docsAssets?: MiddlewareHandler<AppEnv> | undefined;
  /** Renders `GET /metrics`; without it the route does not exist (Workers). */
  metrics?: (() => Promise<{ contentType: string; body: string }>) | undefined;
  openStore: OpenStore;
}

/**
 * Operations (API.md §3): health, readiness, metrics, the API document and
 * its interactive reference, and the problem types. Errors are problem details.
 *
 * @example
 * app.route('/', opsSurface({ document: () => doc }));
 */
export function opsSurface(deps: OpsDeps) {
  const ops = new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }, 200))
    .get('/readyz', sessionStore(deps.openStore), async (c) => {
      try {
        await c.get('store').ping();
        return c.json({ status: 'ok' }, 200);
      } catch {
        return c.json({ status: 'unavailable' }, 503);
      }
    })
    .get('/openapi.json', (c) => c.json(deps.document()))
    .get('/docs', docsPage)
    .get('/docs/init.js', docsInit)
    .get('/problems/:slug', (c) => problemType(c) ?? c.notFound());
  const { docsAssets, metrics } = deps;
  if (docsAssets) {
    ops.get('/docs/assets/:file', async (c, next) => {
      docsPolicy(c);
      return docsAssets(c, next);
    });
  }
  if (metrics) {
    ops.get(
      '/metrics',
      requireAdminTokenProblem('GET /metrics needs Authorization: Bearer <admin token> while ADMIN_TOKEN is set.'),
      async (c) => {
        const { contentType, body } = await metrics();
        return c.body(body, 200, { 'Content-Type': contentType });
      },
    );
  }
  return ops;
}
