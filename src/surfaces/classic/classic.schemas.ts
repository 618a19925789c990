import { z } from '@hono/zod-openapi';
import { LIMITS } from '../../cart/limits.js';
import { decimalToMinor } from '../../cart/money.js';
import { memo } from '../../lib/memo.js';

/** DRF's wording, which existing tutorial clients may match on. */
export const msg = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  string: 'Not a valid string.',
  nul: 'Null characters are not allowed.',
  surrogate: 'Lone surrogates are not allowed.',
  nameLength: `Ensure this field has no more than ${LIMITS.nameMax} characters.`,
  number: 'A valid number is required.',
  integer: 'A valid integer is required.',
  min0: 'Ensure this value is greater than or equal to 0.',
  decimals: (places: number) => `Ensure that there are no more than ${places} decimal places.`,
  max: (limit: number) => `Ensure this value is less than or equal to ${limit}.`,
} as const;

type Ctx = z.core.$RefinementCtx;
const fail = (ctx: Ctx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/**
 * A DRF field: missing and null are told apart, as DRF does. Wrap it in
 * `.optional()` or `.default()` for a field that may be left out.
 */
const field = <T>(present: (value: unknown, ctx: Ctx) => T) =>
  z.unknown().transform((value, ctx): T => {
    if (value === undefined) return fail(ctx, msg.required);
    if (value === null) return fail(ctx, msg.null);
    return present(value, ctx);
  });

/** DRF CharField(max_length=200): numbers are taken as text, whitespace trimmed. */
const productName = (value: unknown, ctx: Ctx): string => {
  if (typeof value !== 'string' && typeof value !== 'number') return fail(ctx, msg.string);
  const text = String(value).trim();
  if (text === '') return fail(ctx, msg.blank);
  const problems: string[] = [];
  if (text.includes('\u0000')) problems.push(msg.nul);
  // Each runtime would store a lone surrogate differently (one U+FFFD on Node, three on D1).
  if (!text.isWellFormed()) problems.push(msg.surrogate);
  // Python counts code points, so 200 emoji fit.
  if ([...text].length > LIMITS.nameMax) problems.push(msg.nameLength);
  for (const message of problems) ctx.addIssue({ code: 'custom', message });
  return problems.length === 0 ? text : z.NEVER;
};

/** The price in minor units of a currency with `exponent` decimals; finite, 0 … 10^12 minor units. */
const productPrice =
  (exponent: number) =>
  (value: unknown, ctx: Ctx): number => {
    if (typeof value === 'number' && !Number.isFinite(value)) return fail(ctx, msg.number);
    if (typeof value !== 'number' && typeof value !== 'string') return fail(ctx, msg.number);
    if (typeof value === 'string' && value.length > 1000) return fail(ctx, 'String value too large.');
    // Python's float() takes "nan", "inf" and "1e400"; the tutorial then stored or crashed on them.
    if (!Number.isFinite(Number(String(value).trim()))) return fail(ctx, msg.number);
    const parsed = decimalToMinor(String(value), exponent);
    if (parsed.ok) return parsed.minor;
    if (parsed.reason === 'decimals') return fail(ctx, msg.decimals(exponent));
    if (parsed.reason === 'negative') return fail(ctx, msg.min0);
    if (parsed.reason === 'range') return fail(ctx, msg.max(LIMITS.unitPriceMax / 10 ** exponent));
    return fail(ctx, msg.number);
  };

/** DRF IntegerField: integers, and strings of one with an optional ".0". */
const productQuantity = (value: unknown, ctx: Ctx): number => {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d{1,20}(\.0*)?\s*$/.test(value)) n = Number.parseFloat(value);
  else return fail(ctx, msg.integer);
  if (!Number.isInteger(n)) return fail(ctx, msg.integer);
  if (n < 0) return fail(ctx, msg.min0);
  if (n > LIMITS.quantityMax) return fail(ctx, msg.max(LIMITS.quantityMax));
  return n;
};

// anyOf, not oneOf: a form sends every value as a string, and a JSON number may also match a string
// schema in a validator that coerces (a form's "2.50" is both), which oneOf would refuse.
const doc = {
  name: {
    anyOf: [
      { type: 'string' as const, minLength: 1, maxLength: LIMITS.nameMax },
      // DRF's CharField takes a number as its text, as the tutorial did.
      { type: 'number' as const },
    ],
    example: 'name',
  },
  price: { anyOf: [{ type: 'number' as const, minimum: 0 }, { type: 'string' as const }], example: '41' },
  quantity: {
    anyOf: [{ type: 'integer' as const, minimum: 0, maximum: LIMITS.quantityMax }, { type: 'string' as const }],
    example: '1',
  },
};

const buildCreate = (exponent: number) =>
  z
    .object({
      product_name: field(productName).openapi(doc.name),
      product_price: field(productPrice(exponent)).openapi(doc.price),
      product_quantity: field(productQuantity).default(1).openapi(doc.quantity),
    })
    .openapi('ClassicItemInput');

const buildUpdate = (exponent: number) =>
  z
    .object({
      product_name: field(productName).optional().openapi(doc.name),
      product_price: field(productPrice(exponent)).optional().openapi(doc.price),
      product_quantity: field(productQuantity).optional().openapi(doc.quantity),
    })
    .openapi('ClassicItemPatch');

// Built once per currency exponent, not per request.
const createBodies = memo<number, ReturnType<typeof buildCreate>>();
const updateBodies = memo<number, ReturnType<typeof buildUpdate>>();

/**
 * The body of a classic POST, for a default cart whose currency has
 * `exponent` decimals. Unknown fields (and `id`) are dropped.
 */
export const createItemBody = (exponent: number) => createBodies(exponent, buildCreate);

/** The body of a classic PATCH: every field optional, `{}` changes nothing. */
export const updateItemBody = (exponent: number) => updateBodies(exponent, buildUpdate);

export const itemSchema = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    product_name: z.string().openapi({ example: 'name' }),
    product_price: z.number().openapi({ example: 41.0 }),
    product_quantity: z.number().int().openapi({ example: 1 }),
  })
  .openapi('ClassicItem');

export type ClassicItem = z.infer<typeof itemSchema>;

export const successOf = <T extends z.ZodType>(data: T) => z.object({ status: z.literal('success'), data });

export const errorEnvelope = z
  .object({
    status: z.literal('error'),
    data: z.record(z.string(), z.union([z.array(z.string()), z.string()])),
  })
  .openapi('ClassicError', {
    example: { status: 'error', data: { product_price: ['A valid number is required.'] } },
  });

/** Groups zod issues into DRF's `{field: [messages]}` map. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : 'non_field_errors';
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}
