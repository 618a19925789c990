import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../app-env.js';
import { problem } from './problem.js';

export type AuthFailure = 'missing' | 'invalid';

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>` when ADMIN_TOKEN is set, and
 * lets everything through when it is not. The token is compared in constant
 * time and never echoed or logged.
 *
 * @example
 * app.use('/v1/admin/*', requireAdminToken((c, why) => c.json({ why }, why === 'missing' ? 401 : 403)));
 */
export function requireAdminToken(respond: (c: Context, failure: AuthFailure) => Response): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.var.config.ADMIN_TOKEN;
    if (expected === undefined) return next();
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer');
      return respond(c, 'missing');
    }
    if (!(await timingSafeEqual(match[1], expected))) return respond(c, 'invalid');
    return next();
  };
}

/**
 * {@link requireAdminToken} answering as /v1 does: 401 `unauthorized` with
 * `missing` as its detail, 403 `forbidden` for a wrong token.
 *
 * @example
 * app.use('/metrics', requireAdminTokenProblem('GET /metrics needs the admin token.'));
 */
export const requireAdminTokenProblem = (missing: string) =>
  requireAdminToken((c, failure) =>
    failure === 'missing'
      ? problem(c, 401, 'unauthorized', missing)
      : problem(c, 403, 'forbidden', 'The admin token is not valid.'),
  );
