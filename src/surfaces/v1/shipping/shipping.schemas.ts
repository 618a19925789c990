import { z } from '@hono/zod-openapi';
import { isCountry } from '../../../cart/details.js';
import { MAX_AMOUNT } from '../../../cart/limits.js';
import { currencySchema, nameSchema, withoutProtoKey } from '../carts/carts.schemas.js';
import { taxCategorySchema } from '../tax/tax.schemas.js';

/* Shipping rates (API.md §10), as the admin writes and reads them. */

const amounts = (min: number, description: string, example: Record<string, number> | null) =>
  withoutProtoKey(
    z
      .record(currencySchema, z.number().int().min(min).max(MAX_AMOUNT))
      .refine((value) => Object.keys(value).length > 0, 'At least one currency'),
  ).openapi({ description, example });

const countries = z
  .array(z.string().transform((code) => code.toUpperCase()))
  .min(1)
  .max(300)
  .superRefine((codes, ctx) => {
    if (codes.includes('*') && codes.length > 1)
      ctx.addIssue({ code: 'custom', message: '"*" stands alone: it means everywhere' });
    codes.forEach((code, index) => {
      if (code !== '*' && !isCountry(code))
        ctx.addIssue({ code: 'custom', path: [index], message: 'An ISO 3166-1 alpha-2 country code such as DE' });
    });
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', message: 'Each country once' });
  })
  .openapi({ description: 'ISO 3166-1 alpha-2 codes (either case), or `["*"]`: everywhere.', example: ['DE', 'AT'] });

/** `PUT /v1/admin/shipping-rates/{rateId}`: the id is the path's; one in the body must match it. */
export const putShippingRateSchema = z
  .object({
    id: z.string().optional(),
    name: nameSchema.openapi({ example: 'Standard (3–5 days)' }),
    countries,
    prices: amounts(0, 'Currency → the price in minor units.', { EUR: 499 }),
    free_over: amounts(0, 'Currency → the merchandise total from which delivery is free.', { EUR: 5000 })
      .nullable()
      .optional(),
    min_subtotal: amounts(0, 'Currency → the least merchandise total the rate serves.', null).nullable().optional(),
    max_subtotal: amounts(0, 'Currency → the most merchandise total the rate serves.', null).nullable().optional(),
    tax_category: taxCategorySchema.nullable().optional().openapi({
      description: 'The tax category of the shipping; null or absent: `standard`.',
    }),
    active: z.boolean().default(true),
  })
  .openapi('ShippingRateInput');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' });
const storedAmounts = z.record(z.string(), z.number().int());

export const shippingRateSchema = z
  .object({
    id: z.string().openapi({ example: 'standard-eu' }),
    name: z.string().openapi({ example: 'Standard (3–5 days)' }),
    countries: z.array(z.string()).openapi({ example: ['AT', 'DE'] }),
    prices: storedAmounts.openapi({ example: { EUR: 499 } }),
    free_over: storedAmounts.nullable().openapi({ example: { EUR: 5000 } }),
    min_subtotal: storedAmounts.nullable().openapi({ example: null }),
    max_subtotal: storedAmounts.nullable().openapi({ example: null }),
    tax_category: z.string().nullable().openapi({ example: 'standard' }),
    active: z.boolean(),
    version: z.number().int().openapi({ example: 1 }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('ShippingRate');

export const rateIdParam = z.object({
  rateId: z.string().openapi({ param: { name: 'rateId', in: 'path' }, example: 'standard-eu' }),
});

export type ShippingRateView = z.infer<typeof shippingRateSchema>;
