import { z } from '@hono/zod-openapi';
import { LIMITS } from '../../cart/limits.js';
import { BODY_LIMIT } from '../../platform/body-limit.js';
import { bookmarkHeader } from '../../platform/bookmark.js';
import { problemSchema } from '../../platform/problem.js';

/** A documented problem+json answer. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

const text = { type: 'string' as const };

export const etagHeader = {
  ETag: { description: 'The cart version as a strong entity tag, e.g. `"4"`.', schema: text },
};

/** Response headers of an answer that may be the replay of an earlier one. */
export const replayHeaders = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.',
    schema: text,
  },
};

export const ifMatch = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      description: `Apply only while the cart has one of these ETags (or \`*\`: while it exists); at most ${LIMITS.conditionTags} tags.`,
      example: '"4"',
    }),
  'if-none-match': z.string().optional().openapi({
    description: 'Apply only while the cart has none of these ETags (weak comparison; `*` never applies to a cart).',
    example: '"3"',
  }),
});

/** The `If-Match` (and `X-Bookmark`) of an admin resource's change: `applies` says what it guards ("Move", "Set"). */
export const ifMatchOnly = (applies: string, what: string) =>
  z
    .object({
      'if-match': z
        .string()
        .optional()
        .openapi({
          description: `${applies} only while ${what} has one of these ETags (or \`*\`: while it exists); at most ${LIMITS.conditionTags} tags.`,
          example: '"1"',
        }),
    })
    .merge(bookmarkHeader);

export const idempotencyKey = z.object({
  'idempotency-key': z.string().optional().openapi({
    description:
      'Makes a retry safe: the first answer is stored for 24 h and replayed (with `Idempotent-Replayed: true`) for the same key and body. A structured-field string (`"…"`) or a bare key without `"` or `,`; 1–255 characters.',
    example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
  }),
});

export const jsonBody = <T extends z.ZodType>(schema: T, required: boolean) => ({
  required,
  content: { 'application/json': { schema } },
});

/**
 * What any /v1 operation can answer before it runs: a bearer JWT that does
 * not verify (API.md §8), a rate limit, a method the path does not take.
 */
export const everywhere = {
  401: problem(
    'A bearer JWT that does not verify: expired, wrong issuer, audience or key, or unsigned (`unauthorized`); where a token is required (admin routes, the default cart, `/customers/me`), none.',
  ),
  405: problem('The path does not take this method; `Allow` lists those it does (`method-not-allowed`).'),
  503: problem(
    'A customer token was sent, and the keys to verify it (`AUTH_JWKS_URL`) could not be fetched (`auth-unavailable`); retry after `Retry-After` seconds.',
  ),
  429: {
    ...problem('Over `RATE_LIMIT_PER_MINUTE` (`rate-limited`); retry after `Retry-After` seconds.'),
    headers: {
      'Retry-After': { description: 'Seconds until the client may send again.', schema: text },
      RateLimit: { description: 'The client’s remaining quota (IETF httpapi draft).', schema: text },
    },
  },
};

/** What any /v1 operation with a body can answer before its handler runs. */
export const bodyErrors = {
  400: problem(
    'The body is not valid JSON (`malformed-json`), or a header (If-Match, If-None-Match, Idempotency-Key) is malformed (`validation-failed`).',
  ),
  413: problem(`The body is over ${BODY_LIMIT / 1024} KiB (\`body-too-large\`).`),
  415: problem('The body is not `application/json` (`unsupported-media-type`).'),
  422: problem(
    'The body breaks the schema (`validation-failed`; `errors` lists every offending path), or an Idempotency-Key is reused with another body (`idempotency-key-reuse`).',
  ),
};

/**
 * What an operation that takes no body answers to one sent anyway: every
 * body goes through the same checks first (API.md §2), so an oversized one
 * is 413 and, on a POST, one not in JSON is 415.
 */
export const unwantedBody = { 413: bodyErrors[413] };
export const unwantedPostBody = { 413: bodyErrors[413], 415: bodyErrors[415] };

/** A read-only operation's 400: an `X-Bookmark` the service did not give out (API.md §9). */
export const bookmarkRefused = {
  400: problem('An `X-Bookmark` the service did not give out (`validation-failed`).'),
};

/** The 200 of a cursor-paginated listing: `{<key>: [...], next_cursor}` and `Link` to the next page. */
export const pageResponse = <K extends string, T extends z.ZodType>(what: K, item: T) => ({
  description: `A page of ${what}; \`Link: <…>; rel="next"\` when there are more.`,
  headers: { Link: { description: 'The next page, when there is one.', schema: text } },
  content: {
    'application/json': {
      schema: z.object({ [what]: z.array(item), next_cursor: z.string().nullable() } as Record<K, z.ZodArray<T>> & {
        next_cursor: z.ZodNullable<z.ZodString>;
      }),
    },
  },
});

export const preconditionFailed = {
  412: {
    ...problem('`If-Match` or `If-None-Match` does not hold; nothing changed (`precondition-failed`).'),
    headers: etagHeader,
  },
};

/** The default cart, reachable by its well-known id `default`, needs the admin token when one is set. */
export const defaultCartAuth = {
  401: problem('The default cart without the admin token, while ADMIN_TOKEN is set (`unauthorized`).'),
  403: problem('The default cart with a wrong admin token (`forbidden`).'),
};

/**
 * Cart routes are open to whoever holds the cart id, but a cart bound to a
 * customer answers only to their token (or the admin's); the default cart
 * also takes the admin token.
 */
export const cartSecurity = [{}, { customerToken: [] }, { adminToken: [] }];
export const customerSecurity = [{ customerToken: [] }];
export const adminSecurity = [{ adminToken: [] }];
