import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

/** One client's standing after a request was counted. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left in the window, when the limiter can tell. */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** A limiter of requests per client per minute; each runtime brings its own. */
export interface RateLimiter {
  limit: number;
  consume(key: string): Promise<RateDecision>;
}

/**
 * Counts every request against its client's budget (RATE_LIMIT_PER_MINUTE;
 * clients told apart by the runtime's client address)
 * and answers 429 past it, with `Retry-After` and the IETF httpapi
 * `RateLimit-Policy` / `RateLimit` headers.
 *
 * @example
 * app.use(rateLimit(limiter, (c, retryAfter) => c.json({ retryAfter }, 429)));
 */
export function rateLimit(
  limiter: RateLimiter,
  refuse: (c: Context<AppEnv>, retryAfter: number) => Response,
): MiddlewareHandler<AppEnv> {
  const policy = `"per-client";q=${limiter.limit};w=60`;
  return async (c, next) => {
    const decision = await limiter.consume(c.get('clientAddress')(c));
    c.header('RateLimit-Policy', policy);
    const remaining = decision.allowed ? (decision.remaining ?? undefined) : 0;
    c.header('RateLimit', `"per-client";${remaining === undefined ? '' : `r=${remaining};`}t=${decision.resetSeconds}`);
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.resetSeconds));
      return refuse(c, decision.resetSeconds);
    }
    return next();
  };
}
