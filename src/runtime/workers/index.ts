import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import { createApp } from '../../app.js';
import type { AppEnv } from '../../app-env.js';
import { ConfigError, loadConfig } from '../../config.js';
import { purgeExpired } from '../../data/purge.js';
import * as schema from '../../data/schema.js';
import { type Store, storeOver } from '../../data/store.js';
import { createLogger } from '../../platform/logger.js';
import { problemBody } from '../../platform/problem.js';
import type { RateLimiter } from '../../platform/rate-limit.js';

/**
 * Rate limiting on Workers: Cloudflare's rate-limiting binding counts (its
 * limit is the one in wrangler.toml; `limit` is what the headers announce).
 * Its windows follow the wall clock.
 *
 * @example
 * createApp({ ..., rateLimiter: cloudflareRateLimiter(env.RATE_LIMITER, 120) });
 */
export function cloudflareRateLimiter(binding: RateLimit, limit: number): RateLimiter {
  return {
    limit,
    consume: async (key: string) => {
      const { success } = await binding.limit({ key });
      return { allowed: success, resetSeconds: 60 - (Math.floor(Date.now() / 1000) % 60) };
    },
  };
}

/** The client as Cloudflare's edge saw it; the client cannot set this header past the edge. */
export const cloudflareClientAddress = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip') ?? 'unknown';

/** One store per D1 binding object, so what a store keeps (its prepared reads) lasts the isolate. */
const stores = new WeakMap<D1Database, Store>();
export function storeFor(binding: D1Database): Store {
  let store = stores.get(binding);
  if (store === undefined) {
    store = storeOver(drizzle(binding, { schema }));
    stores.set(binding, store);
  }
  return store;
}

let app: ReturnType<typeof createApp> | undefined;

/**
 * The app is built once per isolate, from the first request's settings
 * (`vars` and secrets do not change within an isolate); the store comes from
 * each request's bindings.
 */
const appFor = (env: Env) => {
  if (app === undefined) {
    const config = loadConfig(env);
    app = createApp({
      config,
      store: (bindings) => storeFor((bindings as Env).DB),
      clientAddress: cloudflareClientAddress,
      // With run_worker_first for /docs/assets/* the Worker answers the
      // platform's static files itself, through the context, so they carry the
      // headers every answer does.
      docsAssets: async (c) => {
        const asset = await (c.env as Env).ASSETS.fetch(c.req.raw);
        return c.body(asset.body as ReadableStream, asset.status as 200, Object.fromEntries(asset.headers));
      },
      rateLimiter: cloudflareRateLimiter(env.RATE_LIMITER, config.RATE_LIMIT_PER_MINUTE),
    });
  }
  return app;
};

/** Bad `vars` on Workers: every request answers 500 and logs which variable and why (never a token). */
function misconfigured(error: ConfigError): Response {
  for (const problem of error.problems) createLogger('error').error(`invalid configuration: ${problem}`);
  const body = problemBody(500, 'internal-error', 'The service is misconfigured; its log names the setting.');
  return new Response(JSON.stringify(body), { status: 500, headers: { 'Content-Type': 'application/problem+json' } });
}

export default {
  fetch: (request, env, ctx) => {
    try {
      return appFor(env).fetch(request, env, ctx);
    } catch (error) {
      if (error instanceof ConfigError) return misconfigured(error);
      throw error;
    }
  },

  /** The cron trigger of wrangler.toml: removes expired carts and idempotency records. */
  scheduled: async (controller, env) => {
    const log = createLogger(loadConfig(env).LOG_LEVEL);
    const purged = await purgeExpired(storeFor(env.DB).db, controller.scheduledTime);
    log.info('purged', { cron: controller.cron, ...purged });
  },
} satisfies ExportedHandler<Env>;
