import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Problem types are relative URIs (RFC 9457 §3.1.1) that the service itself
 * resolves: `GET /problems/<slug>` describes each one.
 */
export const PROBLEM_BASE = '/problems/';

export const TITLES = {
  'malformed-json': 'Malformed JSON',
  'bad-request': 'Bad request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'cart-full': 'Cart full',
  'cart-closed': 'Cart closed',
  'cart-empty': 'Cart empty',
  'prices-changed': 'Prices changed',
  'prices-untrusted': 'Prices not trusted',
  'total-changed': 'Total changed',
  'delivery-required': 'Delivery required',
  'tax-pending': 'Tax pending',
  'tax-stale': 'Tax stale',
  'transition-invalid': 'Transition invalid',
  'insufficient-stock': 'Insufficient stock',
  'delivery-unavailable': 'Delivery unavailable',
  'discount-invalid': 'Discount code invalid',
  'auth-unavailable': 'Identity provider unavailable',
  'discount-unavailable': 'Discount unavailable',
  'product-unavailable': 'Product unavailable',
  'price-unavailable': 'Price unavailable',
  'client-price-not-allowed': 'Client price not allowed',
  'idempotency-in-flight': 'Idempotent request in flight',
  'idempotency-key-reuse': 'Idempotency key reused',
  conflict: 'Conflict',
  'precondition-failed': 'Precondition failed',
  'precondition-required': 'Precondition required',
  'body-too-large': 'Body too large',
  'rate-limited': 'Too many requests',
  'unsupported-media-type': 'Unsupported media type',
  'validation-failed': 'Validation failed',
  'internal-error': 'Internal server error',
} as const;

export type ProblemSlug = keyof typeof TITLES;

export interface FieldError {
  path: string;
  message: string;
  /** Members some problems add to an error (`prices-changed`: `old_price`, `new_price`, `code`). */
  [member: string]: unknown;
}

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_BASE}validation-failed` }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().optional().openapi({ example: 'The request body has 1 invalid field.' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ example: [{ path: 'items.0.quantity', message: 'Too big: expected number to be <=10000' }] }),
    order_id: z.string().optional().openapi({ description: '`cart-closed`: the order the cart became.' }),
    total: z
      .number()
      .int()
      .optional()
      .openapi({ description: '`total-changed`: the total the checkout works out now.' }),
    cart: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: '`total-changed`: the cart as it is now (a Cart).' }),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof problemSchema>;

/**
 * An RFC 9457 problem details response. Expected outcomes (404, 409, 412,
 * 422 …) are returned through this, never thrown.
 *
 * @example
 * return problem(c, 404, 'not-found', 'No cart with that id.');
 */
export function problem<S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  slug: ProblemSlug,
  detail?: string,
  errors?: FieldError[],
  members?: Record<string, unknown>,
) {
  const body =
    members === undefined
      ? problemBody(status, slug, detail, errors)
      : { ...problemBody(status, slug, detail, errors), ...members };
  return c.json(body, status, { 'Content-Type': 'application/problem+json' });
}

/** The problem details object itself, for the rare answer made outside the app (a Worker that cannot start). */
export function problemBody(status: number, slug: ProblemSlug, detail?: string, errors?: FieldError[]): Problem {
  const body: Problem = { type: `${PROBLEM_BASE}${slug}`, title: TITLES[slug], status };
  if (detail !== undefined) body.detail = detail;
  if (errors !== undefined) body.errors = errors;
  return body;
}

/** Every zod issue as `{path, message}`, the path dotted (`items.0.quantity`). */
export function issuesToErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** The most offending paths one problem lists: a 64 KiB body of bad items would otherwise answer megabytes. */
export const ERRORS_LISTED = 100;

/**
 * 422 `validation-failed` for input a schema refused: how many fields are
 * invalid, and the first ERRORS_LISTED of them in `errors`.
 *
 * @example
 * if (!result.success) return invalidProblem(c, 'body', issuesToErrors(result.error));
 */
export function invalidProblem(c: Context, where: string, errors: FieldError[], outcome = '') {
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  const listed = errors.length > ERRORS_LISTED ? `; the first ${ERRORS_LISTED} are listed` : '';
  return problem(
    c,
    422,
    'validation-failed',
    `The request ${where} has ${count}${listed}${outcome}.`,
    errors.slice(0, ERRORS_LISTED),
  );
}

/** The answer to an error nothing expected: a bare 500 that says nothing of the cause. */
export const internalProblem = (c: Context, requestId: string) =>
  problem(c, 500, 'internal-error', `Something went wrong; quote request id ${requestId}.`);
