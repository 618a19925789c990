import cluster from 'node:cluster';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { RateLimiterCluster, RateLimiterClusterMaster, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppEnv } from '../../app-env.js';
import { forwardedClient } from '../../platform/client-address.js';
import type { RateLimiter } from '../../platform/rate-limit.js';

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

/** The client: behind TRUST_PROXY proxies the address they forwarded, else the socket's. */
export const nodeClientAddress =
  (trustedProxies: number) =>
  (c: Context<AppEnv>): string =>
    forwardedClient(c.req.header('x-forwarded-for'), trustedProxies) ?? getConnInfo(c).remote.address ?? 'unknown';
