import cluster from 'node:cluster';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { RateLimiterCluster, RateLimiterClusterMaster, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppEnv } from '../app-env.js';
import type { RateLimiter } from '../lib/rate-limit.js';

/**
 * Requests per client per minute with rate-limiter-flexible: in memory in a
 * single process; under WEB_CONCURRENCY the server processes share the
 * primary's counters, so the limit holds for the whole machine.
 */
export function nodeRateLimiter(limit: number): RateLimiter {
  const options = { points: limit, duration: 60, keyPrefix: 'edgecart' };
  const limiter = cluster.isWorker
    ? new RateLimiterCluster({ ...options, timeoutMs: 1000 })
    : new RateLimiterMemory(options);
  return {
    limit,
    consume: async (key) => {
      try {
        const res = await limiter.consume(key);
        return { allowed: true, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) {
          return { allowed: false, remaining: 0, resetSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
        }
        throw refusal;
      }
    },
  };
}

/** In the primary under WEB_CONCURRENCY: holds the counters the server processes share. */
export function serveClusterRateLimits() {
  new RateLimiterClusterMaster();
}

/** The client: the socket's address, or with TRUST_PROXY the first X-Forwarded-For entry. */
export const nodeClientKey =
  (trustProxy: boolean) =>
  (c: Context<AppEnv>): string => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return getConnInfo(c).remote.address ?? 'unknown';
  };
