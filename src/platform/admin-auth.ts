import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../app-env.js';
import { problem } from './problem.js';

export type AuthFailure = 'missing' | 'invalid';

/** The value of `Authorization: Bearer <token>`, or undefined. */
export const bearerToken = (c: Context): string | undefined =>
  /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Whether the request carries the admin token (compared in constant time); false while none is set. */
export async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  const expected = c.get('config').ADMIN_TOKEN;
  const token = bearerToken(c);
  return expected !== undefined && token !== undefined && (await timingSafeEqual(token, expected));
}

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>` when ADMIN_TOKEN is set, and
 * lets everything through when it is not. The token is compared in constant
 * time and never echoed or logged.
 *
 * @example
 * app.use('/admin/*', requireAdminToken((c, why) => c.json({ why }, why === 'missing' ? 401 : 403)));
 */
export function requireAdminToken(respond: (c: Context, failure: AuthFailure) => Response): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('config').ADMIN_TOKEN === undefined) return next();
    if (bearerToken(c) === undefined) {
      c.header('WWW-Authenticate', 'Bearer');
      return respond(c, 'missing');
    }
    if (!(await isAdmin(c))) return respond(c, 'invalid');
    return next();
  };
}

/**
 * {@link requireAdminToken} answering with problem details: 401 `unauthorized`
 * with `missing` as its detail, 403 `forbidden` for a wrong token.
 *
 * @example
 * app.get('/metrics', requireAdminTokenProblem('GET /metrics needs the admin token.'), handler);
 */
export const requireAdminTokenProblem = (missing: string) =>
  requireAdminToken((c, failure) =>
    failure === 'missing'
      ? problem(c, 401, 'unauthorized', missing)
      : problem(c, 403, 'forbidden', 'The admin token is not valid.'),
  );
