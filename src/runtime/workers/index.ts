import { drizzle } from 'drizzle-orm/d1';
import type { Context } from 'hono';
import { createApp } from '../../app.js';
import type { AppEnv } from '../../app-env.js';
import { ConfigError, loadConfig } from '../../config.js';
import type { DatabaseMemo } from '../../data/carts.js';
import { purgeEventsOf, purgeExpired } from '../../data/purge.js';
import * as schema from '../../data/schema.js';
import { type Consistency, isBookmark, type Store, storeOver } from '../../data/store.js';
import { dispatchDue } from '../../events/dispatch.js';
import type { Deliver } from '../../events/webhook.js';
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
  // D1's bookmarks are its own: only their form can be checked here.
  const bookmark = { after: latest, issued: isBookmark };
  return storeOver(drizzle(session as unknown as D1Database, { schema }), bookmark, memoFor(binding));
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
      announce: (c, eventIds) => enqueue(c.env as Env, eventIds, (work) => c.executionCtx.waitUntil(work)),
    });
  }
  return app;
};

/** A queue message: the id of an event to deliver. */
export interface EventMessage {
  id: string;
}

/**
 * Hands committed events to the queue after the response (API.md §6). A send
 * that fails loses nothing: the event waits in the outbox for the sweep.
 */
function enqueue(env: Env, ids: string[], background: (work: Promise<unknown>) => void) {
  const sending = env.EVENTS.sendBatch(ids.map((id) => ({ body: { id } satisfies EventMessage }))).catch(
    (error: unknown) => createLogger('warn').warn('events not queued; the sweep will', { error: String(error) }),
  );
  try {
    background(sending);
  } catch {
    // No execution context (app.request in tests): the send runs on its own.
  }
}

/** The longest delay a queue message can be retried with (Cloudflare Queues: 12 h); the sweep covers longer. */
const MAX_RETRY_DELAY_S = 43_200;

/**
 * The queue consumer: delivers each message's event once (claimed with a
 * lease, as on Node), and retries the message after the event's backoff
 * when the receiver failed. An event not due yet, or claimed elsewhere, is
 * acknowledged: the sweep sends it again when it is due.
 *
 * @example
 * await deliverBatch(batch, env, fetch);
 */
export async function deliverBatch(
  batch: MessageBatch<EventMessage>,
  env: Env,
  deliver: Deliver = (input, init) => fetch(input, init),
  now: () => number = Date.now,
) {
  const config = loadConfig(env);
  const ids = batch.messages.map((message) => message.body.id);
  const attempts = await dispatchDue({ events: storeFor(env.DB).events, config, fetch: deliver, now }, ids.length, ids);
  const outcome = new Map(attempts.map((attempt) => [attempt.id, attempt]));
  for (const message of batch.messages) {
    const attempt = outcome.get(message.body.id);
    if (attempt !== undefined && !attempt.delivered && attempt.retryAt !== null) {
      const delaySeconds = Math.min(MAX_RETRY_DELAY_S, Math.max(1, Math.ceil((attempt.retryAt - now()) / 1000)));
      message.retry({ delaySeconds });
    } else message.ack();
  }
  return attempts;
}

/** The sweep: every due, unclaimed event goes to the queue again (what a crash or a failed send left). */
export async function sweepEvents(env: Env, now: number) {
  const config = loadConfig(env);
  if (config.WEBHOOK_URL === undefined) return 0;
  const ids = await storeFor(env.DB).events.dueIds(now, 100);
  if (ids.length > 0) await env.EVENTS.sendBatch(ids.map((id) => ({ body: { id } satisfies EventMessage })));
  return ids.length;
}

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

  /** The cron triggers of wrangler.toml: the event sweep every minute, the purge every 15. */
  scheduled: async (controller, env) => {
    const config = loadConfig(env);
    const log = createLogger(config.LOG_LEVEL);
    if (controller.cron === '* * * * *') {
      const swept = await sweepEvents(env, controller.scheduledTime);
      if (swept > 0) log.info('events swept', { events: swept });
      return;
    }
    const purged = await purgeExpired(
      storeFor(env.DB).db,
      controller.scheduledTime,
      undefined,
      undefined,
      purgeEventsOf(config),
    );
    log.info('purged', { cron: controller.cron, ...purged });
  },

  /** The events queue: webhook deliveries. */
  queue: async (batch, env) => {
    await deliverBatch(batch as MessageBatch<EventMessage>, env);
  },
} satisfies ExportedHandler<Env, EventMessage>;
