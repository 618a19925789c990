import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import { createApp } from '../../app.js';
import type { AppEnv } from '../../app-env.js';
import { ConfigError, loadConfig } from '../../config.js';
import type { DatabaseMemo } from '../../data/carts.js';
import { purgeExpired } from '../../data/purge.js';
import * as schema from '../../data/schema.js';
import { type Consistency, type Store, storeOver } from '../../data/store.js';
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

/** What a store remembers of a D1 database lasts the isolate: one memo per binding. */
const memos = new WeakMap<D1Database, DatabaseMemo>();
const memoFor = (binding: D1Database) => {
  let memo = memos.get(binding);
  if (memo === undefined) {
    memo = {};
    memos.set(binding, memo);
  }
  return memo;
};

/**
 * A request's store over its own D1 session (API.md §9): from the client's
 * bookmark when it sends one, else on the primary for a write and on any
 * replica for a read. Its bookmark is the session's latest once the request's
 * queries are done (a request that made none answers the client's own, or
 * asks for one with `select 1`).
 *
 * drizzle takes the session as a D1Database: its D1 driver only ever calls
 * `prepare` and `batch`, which a session has (drizzle has no session support
 * of its own yet).
 *
 * @example
 * const store = sessionStoreFor(env.DB, { bookmark: undefined, writes: true });
 */
export function sessionStoreFor(binding: D1Database, consistency: Consistency): Store {
  const session = binding.withSession(
    consistency.bookmark ?? (consistency.writes ? 'first-primary' : 'first-unconstrained'),
  );
  const latest = async () => {
    if (session.getBookmark() === null) {
      // No query ran: the client's own bookmark is still the latest it may see.
      if (consistency.bookmark !== undefined) return consistency.bookmark;
      await session.prepare('select 1').first();
    }
    return session.getBookmark() ?? '';
  };
  return storeOver(drizzle(session as unknown as D1Database, { schema }), { after: latest }, memoFor(binding));
}

/** A store straight on the binding (the primary), for the scheduled jobs. */
export const storeFor = (binding: D1Database): Store =>
  storeOver(drizzle(binding, { schema }), undefined, memoFor(binding));

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
      store: (bindings, consistency) => sessionStoreFor((bindings as Env).DB, consistency),
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
