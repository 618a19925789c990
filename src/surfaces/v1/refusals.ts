import type { Context } from 'hono';
import { LIMITS } from '../../cart/limits.js';
import { REFUSAL_FIELD, type Refusal } from '../../cart/refusals.js';
import type { ConditionProblem } from '../../platform/conditional.js';
import { type ProblemSlug, problem } from '../../platform/problem.js';

/** How /v1 answers each refusal of the cart rules. */
const ANSWERS = {
  'cart-not-found': [404, 'not-found'],
  'line-not-found': [404, 'not-found'],
  'precondition-failed': [412, 'precondition-failed'],
  'cart-full': [409, 'cart-full'],
  'cart-closed': [409, 'cart-closed'],
  'cart-empty': [409, 'cart-empty'],
  'prices-changed': [409, 'prices-changed'],
  'prices-untrusted': [409, 'prices-untrusted'],
  'product-unavailable': [422, 'product-unavailable'],
  'price-unavailable': [422, 'price-unavailable'],
  'line-clash': [409, 'conflict'],
  'cart-permanent': [409, 'conflict'],
  'already-merged': [409, 'conflict'],
  'currency-differs': [409, 'conflict'],
  'merge-conflict': [409, 'conflict'],
  'quantity-over-limit': [422, 'validation-failed'],
  'quantity-under-limit': [422, 'validation-failed'],
  'subtotal-over-limit': [422, 'validation-failed'],
  unchanged: [422, 'validation-failed'],
  'details-invalid': [422, 'validation-failed'],
  'discount-unavailable': [409, 'discount-unavailable'],
  'total-changed': [409, 'total-changed'],
  'tax-pending': [409, 'tax-pending'],
  'tax-lines-mismatch': [422, 'validation-failed'],
  'tax-over-limit': [422, 'validation-failed'],
  'tax-stale': [409, 'tax-stale'],
  'insufficient-stock': [409, 'insufficient-stock'],
  'delivery-required': [409, 'delivery-required'],
  'delivery-not-applicable': [409, 'delivery-unavailable'],
  'delivery-unavailable': [422, 'delivery-unavailable'],
  'delivery-unknown': [422, 'delivery-unavailable'],
  'delivery-inactive': [422, 'delivery-unavailable'],
  'delivery-no-address': [422, 'delivery-unavailable'],
  'delivery-country': [422, 'delivery-unavailable'],
  'delivery-currency': [422, 'delivery-unavailable'],
  'delivery-minimum': [422, 'delivery-unavailable'],
  'delivery-maximum': [422, 'delivery-unavailable'],
  'delivery-over-limit': [422, 'delivery-unavailable'],
  // Checkout works the discounts out again; only a cart that keeps changing under it gets this far.
  'cart-changed': [409, 'conflict'],
  'code-unknown': [422, 'discount-invalid'],
  'code-inactive': [422, 'discount-invalid'],
  'code-not-started': [422, 'discount-invalid'],
  'code-ended': [422, 'discount-invalid'],
  'code-exhausted': [422, 'discount-invalid'],
  'code-currency': [422, 'discount-invalid'],
  'code-minimum': [422, 'discount-invalid'],
  'codes-full': [422, 'discount-invalid'],
  // Attaching a code twice changes nothing: the handler answers the cart.
  'code-attached': [422, 'discount-invalid'],
  'code-not-attached': [404, 'not-found'],
} as const satisfies Record<Refusal, readonly [number, ProblemSlug]>;

type StatusOf<R extends Refusal> = (typeof ANSWERS)[R][0];

/**
 * A refusal of the cart rules as /v1 answers it. The words come from the
 * rule that refused (rules.ts explain); only the status and slug are /v1's.
 * A refusal about an input field lists it in `errors`, under `path` if given.
 */
export function refusalProblem<R extends Refusal>(
  c: Context,
  refusal: R,
  message: string,
  path?: string,
  members?: Record<string, unknown>,
) {
  const [status, slug] = ANSWERS[refusal] as readonly [StatusOf<R>, ProblemSlug];
  const field = REFUSAL_FIELD[refusal];
  const at = path === undefined ? field : field === undefined ? path : `${path}.${field}`;
  return problem(c, status, slug, message, at === undefined ? undefined : [{ path: at, message }], members);
}

/** A malformed or over-long If-Match / If-None-Match. */
export function conditionProblem(c: Context, header: 'If-Match' | 'If-None-Match', why: ConditionProblem) {
  const tooMany = why === 'too-many';
  return problem(c, 400, 'validation-failed', `The ${header} header is ${tooMany ? 'too long' : 'malformed'}.`, [
    {
      path: header,
      message: tooMany
        ? `At most ${LIMITS.conditionTags} entity tags`
        : 'Expected * or a list of entity tags such as "4"',
    },
  ]);
}
