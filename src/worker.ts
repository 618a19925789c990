import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import { createApp } from './app.js';
import type { AppEnv } from './app-env.js';
import { purgeExpired } from './cart/purge.js';
import { ConfigError, loadConfig } from './config.js';
import * as schema from './db/schema.js';
import { createLogger } from './lib/logger.js';
import { problemBody } from './lib/problem.js';

let app: ReturnType<typeof createApp> | undefined;

/**
 * Rate limiting on Workers: Cloudflare's rate-limiting binding counts (its
 * limit is the one in wrangler.toml; `limit` is what the headers announce),
 * clients told apart by CF-Connecting-IP. Its windows follow the wall clock.
 *
 * @example
 * createApp({ ..., rateLimit: cloudflareRateLimit(env.RATE_LIMITER, 120) });
 */
export function cloudflareRateLimit(binding: RateLimit, limit: number) {
  return {
    limiter: {
      limit,
      consume: async (key: string) => {
        const { success } = await binding.limit({ key });
        return { allowed: success, resetSeconds: 60 - (Math.floor(Date.now() / 1000) % 60) };
      },
    },
    clientKey: (c: Context<AppEnv>) => c.req.header('cf-connecting-ip') ?? 'unknown',
  };
}

/**
 * The app is built once per isolate, from the first request's settings
 * (`vars` and secrets do not change within an isolate); the D1 handle is
 * taken from each request's bindings.
 */
const appFor = (env: Env) => {
  if (app === undefined) {
    const config = loadConfig(env);
    app = createApp({
      config,
      db: (bindings) => drizzle((bindings as Env).DB, { schema }),
      // The platform serves static assets before the Worker runs; this covers requests that reach it anyway.
      // A fetched response's headers are immutable; a copy lets the app's middleware add its own.
      docsAssets: async (c) => {
        const asset = await (c.env as Env).ASSETS.fetch(c.req.raw);
        return new Response(asset.body, asset);
      },
      rateLimit: cloudflareRateLimit(env.RATE_LIMITER, config.RATE_LIMIT_PER_MINUTE),
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
    const purged = await purgeExpired(drizzle(env.DB, { schema }), controller.scheduledTime);
    log.info('purged', { cron: controller.cron, ...purged });
  },
} satisfies ExportedHandler<Env>;
