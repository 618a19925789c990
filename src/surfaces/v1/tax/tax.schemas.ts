import { z } from '@hono/zod-openapi';
import { isCountry, isRegion, regionOf } from '../../../cart/details.js';
import { nameSchema, productIdSchema } from '../carts/carts.schemas.js';

/* Tax rates (API.md §11), as the admin writes and reads them. */

/** A tax category: what products and shipping rates name, and tax rates apply to. */
export const taxCategorySchema = productIdSchema.openapi({
  description: 'A tax category: the tax rates of this category apply.',
  example: 'standard',
});

/** `PUT /v1/admin/tax-rates/{rateId}`: the id is the path's; one in the body must match it. */
export const putTaxRateSchema = z
  .object({
    id: z.string().optional(),
    name: nameSchema.openapi({ example: 'VAT 19%' }),
    country: z
      .string()
      .transform((code) => code.toUpperCase())
      .refine(isCountry, 'An ISO 3166-1 alpha-2 country code such as DE')
      .openapi({ description: 'ISO 3166-1 alpha-2 (either case).', example: 'DE' }),
    region: z
      .string()
      .transform((code) => code.toUpperCase())
      .refine(isRegion, 'An ISO 3166-2 subdivision code such as CA-QC')
      .nullable()
      .default(null)
      .openapi({
        description: 'ISO 3166-2 subdivision of `country` (either case); null: the whole country.',
        example: null,
      }),
    category: taxCategorySchema,
    rate_bp: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .openapi({ description: 'The rate in basis points: 1900 is 19%.', example: 1900 }),
  })
  .superRefine((rate, ctx) => {
    if (rate.region !== null && !regionOf(rate.region, rate.country))
      ctx.addIssue({ code: 'custom', path: ['region'], message: `Must be a subdivision of ${rate.country}` });
  })
  .openapi('TaxRateInput');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-12-07T10:00:00.000Z' });

export const taxRateSchema = z
  .object({
    id: z.string().openapi({ example: 'de-vat' }),
    name: z.string().openapi({ example: 'VAT 19%' }),
    country: z.string().openapi({ example: 'DE' }),
    region: z.string().nullable().openapi({ example: null }),
    category: z.string().openapi({ example: 'standard' }),
    rate_bp: z.number().int().openapi({ example: 1900 }),
    version: z.number().int().openapi({ example: 1 }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('TaxRate');

export const taxRateIdParam = z.object({
  rateId: z.string().openapi({ param: { name: 'rateId', in: 'path' }, example: 'de-vat' }),
});

export type TaxRateView = z.infer<typeof taxRateSchema>;
