import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

/**
 * RATE_LIMIT_PER_MINUTE, for an app limited to `limit` requests a minute,
 * where `as(client)` gives the headers that name a client on this runtime.
 */
export function rateLimitCases(fetcher: Fetcher, limit: number, as: (client: string) => Record<string, string>) {
  describe('rate limiting', () => {
    it(`answers the request past ${limit} a minute with 429, Retry-After and RateLimit headers`, async () => {
      const client = as(`client-${Math.random().toString(36).slice(2)}`);
      // Cloudflare's windows follow the wall clock, so one may roll over mid-test:
      // the refusal comes after at least `limit` requests, at most two windows' worth.
      let served = 0;
      for (; served <= 2 * limit; served++) {
        const ok = await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, client);
        expect(ok.headers.get('ratelimit-policy')).toBe(`"per-client";q=${limit};w=60`);
        if (ok.status === 429) break;
        expect(ok.status, `request ${served + 1}`).toBe(404);
      }
      expect(served).toBeGreaterThanOrEqual(limit);
      expect(served).toBeLessThanOrEqual(2 * limit);
      const refused = await send(fetcher, 'POST', '/v1/carts', {}, client);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.json.type).toBe('/problems/rate-limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('ratelimit')).toMatch(/^"per-client";r=0;t=\d+$/);
      const classic = await send(fetcher, 'GET', '/api/cart-items/', undefined, client);
      expect(classic.status).toBe(429);
      expect(classic.json.status).toBe('error');
    });

    it('counts each client on its own, and leaves health checks alone', async () => {
      const first = as(`client-${Math.random().toString(36).slice(2)}`);
      for (let i = 0; i <= limit; i++)
        await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, first);
      expect((await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, first)).status).toBe(429);
      const second = as(`client-${Math.random().toString(36).slice(2)}`);
      expect((await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, second)).status).toBe(404);
      expect((await send(fetcher, 'GET', '/healthz', undefined, first)).status).toBe(200);
    });
  });
}
