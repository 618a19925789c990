import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.js';

export type IdempotencyRefusal = 'invalid-key' | 'key-reuse' | 'in-flight';

/** What each refusal says, on either surface. */
export const IDEMPOTENCY_REFUSALS: Record<IdempotencyRefusal, string> = {
  'invalid-key': 'The Idempotency-Key header is not valid.',
  'key-reuse': 'This Idempotency-Key was used with another request body.',
  'in-flight': 'A request with this Idempotency-Key is still running; retry shortly.',
};

/** The response headers a replay repeats. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/**
 * Statuses worth replaying: outcomes of the request. Refusals of a malformed
 * request (400, 413, 415, 422) and failures (5xx) store nothing, so a
 * corrected or later retry with the same key runs afresh.
 */
const storable = (status: number) =>
  (status >= 200 && status < 300) || status === 404 || status === 409 || status === 412;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What "the same request" means for a key: the same path and byte-identical body. */
export const requestFingerprint = (path: string, body: string) => sha256(`POST ${path.replace(/\/$/, '')}\n${body}`);

/** The longest key, counted after unquoting. */
export const IDEMPOTENCY_KEY_MAX = 255;

const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
const BARE = /^[\x21\x23-\x2b\x2d-\x7e](?:[\x20\x21\x23-\x2b\x2d-\x7e]*[\x21\x23-\x2b\x2d-\x7e])?$/;

/**
 * The key from `Idempotency-Key`: a structured-field string (RFC 9651, the
 * IETF draft's form: `"…"` with `\"` and `\\` escapes) or, for convenience, a
 * bare run of printable ASCII without `"` or `,`, either 1–255 characters.
 * A comma outside quotes is how HTTP joins two headers: such a value is refused.
 */
export function parseIdempotencyKey(header: string): string | undefined {
  const value = header.trim();
  const quoted = SF_STRING.exec(value);
  const key = quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : BARE.test(value) ? value : undefined;
  if (key === undefined || key.length > IDEMPOTENCY_KEY_MAX || key.trim() === '') return undefined;
  return key;
}

/**
 * `Idempotency-Key` on a POST (IETF httpapi draft, Stripe's semantics): the
 * first response is stored in the database for 24 h and replayed, with
 * `Idempotent-Replayed: true`, for the same key and body; the same key with
 * another body, or while the first request still runs, is refused.
 *
 * @example
 * const once = idempotency({ scope: (c) => `cart:${c.req.param('cartId')}`, refuse: (c, why) => c.json({ why }, 409) });
 * app.post('/carts/:cartId/items', once, handler);
 */
export function idempotency(options: {
  /** Who may replay a key: the same scope. Authorization has run before this. */
  scope: (c: Context<AppEnv>) => string | Promise<string>;
  refuse: (c: Context<AppEnv>, why: IdempotencyRefusal) => Response;
  /**
   * Before a stored answer is replayed (or a key in use is refused): the
   * answer for a caller who can no longer address what the scope names (a
   * cart a customer has since adopted), or undefined.
   */
  gone?: (c: Context<AppEnv>) => Promise<Response | undefined>;
  /** The statuses whose answers are stored and replayed (default: outcomes, see `storable`). */
  keeps?: (status: number) => boolean;
}): MiddlewareHandler<AppEnv> {
  const keeps = options.keeps ?? storable;
  return async (c, next) => {
    const header = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || header === undefined) return next();
    const key = parseIdempotencyKey(header);
    if (key === undefined) return options.refuse(c, 'invalid-key');
    const keys = c.get('store').idempotency;
    const scope = await options.scope(c);
    const fingerprint = await requestFingerprint(c.req.path, await c.req.text());
    const claim = await keys.claim(scope, key, fingerprint, c.get('now')());
    if (!claim.owner) {
      const { record } = claim;
      // A stored 404 tells nobody anything: it is replayed as it is.
      const refused = record.status === 404 ? undefined : await options.gone?.(c);
      if (refused !== undefined) return refused;
      if (record.fingerprint !== fingerprint) return options.refuse(c, 'key-reuse');
      if (record.status === null) return options.refuse(c, 'in-flight');
      const headers = JSON.parse(record.headers ?? '{}') as Record<string, string>;
      return c.body(record.body ?? '', record.status as ContentfulStatusCode, {
        ...headers,
        'Idempotent-Replayed': 'true',
      });
    }
    try {
      await next();
    } finally {
      const res = c.res;
      if (keeps(res.status)) {
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = res.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        await keys.complete(scope, key, { status: res.status, headers, body: await res.clone().text() });
      } else {
        await keys.release(scope, key);
      }
    }
  };
}
