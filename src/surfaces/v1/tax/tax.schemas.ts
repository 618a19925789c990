import { z } from '@hono/zod-openapi';
import { isCountry, isRegion, regionOf } from '../../../cart/details.js';
import { LIMITS, MAX_AMOUNT } from '../../../cart/limits.js';
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

/** At most this many tax lines on one line or the shipping. */
export const TAX_LINES_MAX = 10;

const externalTaxLine = z
  .object({
    rate_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'The tax service’s id of the rate, if it has one.' }),
    name: nameSchema.openapi({ example: 'Texas state tax' }),
    rate_bp: z.number().int().min(0).max(10_000).openapi({ example: 625 }),
    amount: z.number().int().min(0).max(MAX_AMOUNT).openapi({ example: 63 }),
  })
  .openapi('ExternalTaxLine');

/** `PUT /v1/carts/{cartId}/tax`: every line of the cart once, with its tax lines; the shipping's. */
export const putCartTaxSchema = z
  .object({
    items: z
      .array(
        z.object({
          id: z.number().int().min(1).openapi({ example: 12 }),
          tax_lines: z.array(externalTaxLine).max(TAX_LINES_MAX),
        }),
      )
      .max(LIMITS.linesPerCart)
      .superRefine((items, ctx) => {
        const seen = new Set<number>();
        items.forEach((item, index) => {
          if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'Each line once' });
          seen.add(item.id);
        });
      })
      .openapi({
        description: 'Every line of the cart, each once, with the tax lines the tax service worked out for it.',
      }),
    shipping_tax_lines: z.array(externalTaxLine).max(TAX_LINES_MAX).default([]),
  })
  .openapi('CartTaxInput');
