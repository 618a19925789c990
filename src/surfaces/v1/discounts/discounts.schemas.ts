import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../../../cart/limits.js';
import { currencySchema, withoutProtoKey } from '../carts/carts.schemas.js';

/** A discount code (API.md §7): 3–32 of A-Z a-z 0-9 _ -, matched case-insensitively, shown in upper case. */
export const CODE = /^[A-Za-z0-9_-]{3,32}$/;

const amount = z.number().int().min(1).max(MAX_AMOUNT);
const amounts = (description: string, example: Record<string, number>) =>
  withoutProtoKey(
    z.record(currencySchema, amount).refine((value) => Object.keys(value).length > 0, 'At least one currency'),
  )
    .nullable()
    .optional()
    .openapi({ description, example });
const time = z.iso.datetime({ offset: true }).nullable().optional().openapi({ example: '2027-01-01T00:00:00Z' });

/** `PUT /v1/admin/discounts/{code}`: the code is the path's; one in the body must match it. */
export const putDiscountSchema = z
  .object({
    code: z.string().optional(),
    kind: z.enum(['percentage', 'fixed']),
    percent_off_bp: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .optional()
      .openapi({ description: 'Basis points off (1,000 = 10%): `percentage` codes only.', example: 1000 }),
    amount_off: amounts('Currency → minor units off: `fixed` codes only.', { EUR: 500 }),
    min_subtotal: amounts('Currency → the subtotal a cart needs for the code to apply.', { EUR: 5000 }),
    starts_at: time,
    ends_at: time,
    max_redemptions: z.number().int().min(1).nullable().optional().openapi({ example: 100 }),
    active: z.boolean().default(true),
  })
  .superRefine((d, ctx) => {
    const wrong = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (d.kind === 'percentage' && d.percent_off_bp == null) wrong('percent_off_bp', 'Required for a percentage code');
    if (d.kind === 'percentage' && d.amount_off != null) wrong('amount_off', 'Only for a fixed code');
    if (d.kind === 'fixed' && d.amount_off == null) wrong('amount_off', 'Required for a fixed code');
    if (d.kind === 'fixed' && d.percent_off_bp != null) wrong('percent_off_bp', 'Only for a percentage code');
    if (d.starts_at != null && d.ends_at != null && Date.parse(d.ends_at) <= Date.parse(d.starts_at))
      wrong('ends_at', 'Must be after starts_at');
  })
  .openapi('DiscountInput');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' });

export const discountSchema = z
  .object({
    code: z.string().openapi({ example: 'WELCOME10' }),
    kind: z.enum(['percentage', 'fixed']),
    percent_off_bp: z.number().int().nullable().openapi({ example: 1000 }),
    amount_off: z.record(z.string(), z.number().int()).nullable().openapi({ example: null }),
    min_subtotal: z
      .record(z.string(), z.number().int())
      .nullable()
      .openapi({ example: { EUR: 5000 } }),
    starts_at: timestamp.nullable(),
    ends_at: timestamp.nullable(),
    max_redemptions: z.number().int().nullable().openapi({ example: 100 }),
    redemptions: z.number().int().openapi({ description: 'Orders placed with the code.', example: 3 }),
    active: z.boolean(),
    version: z.number().int().openapi({ example: 2 }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('Discount');

export const codeParam = z.object({
  code: z.string().openapi({ param: { name: 'code', in: 'path' }, example: 'WELCOME10' }),
});

export const attachSchema = z
  .object({ code: z.string().min(1).max(64).openapi({ example: 'welcome10' }) })
  .openapi('AttachDiscountCode');

export type DiscountView = z.infer<typeof discountSchema>;
