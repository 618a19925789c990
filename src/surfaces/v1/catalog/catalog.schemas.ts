import { z } from '@hono/zod-openapi';
import { LIMITS } from '../../../cart/limits.js';
import { STANDARD_CATEGORY } from '../../../cart/tax.js';
import {
  currencySchema,
  metadataSchema,
  nameSchema,
  productIdSchema,
  unitPriceSchema,
  withoutProtoKey,
} from '../carts/carts.schemas.js';
import { taxCategorySchema } from '../tax/tax.schemas.js';

/** The most products one import takes (API.md §4). */
export const IMPORT_MAX = 1000;
/** An import's own body limit (API.md §4): 5 MiB. */
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

const prices = withoutProtoKey(
  z.record(currencySchema, unitPriceSchema).refine((value) => Object.keys(value).length > 0, 'At least one currency'),
).openapi({ description: 'ISO 4217 code → integer minor units.', example: { EUR: 1299, USD: 1399 } });

const fields = {
  name: nameSchema,
  prices,
  active: z.boolean().default(true).openapi({ description: '`false` hides the product from carts.' }),
  metadata: metadataSchema.optional(),
  shippable: z
    .boolean()
    .default(true)
    .openapi({ description: '`false` for goods that are not shipped (digital goods): they need no delivery.' }),
  tax_category: taxCategorySchema.default(STANDARD_CATEGORY),
};

/** `PUT /v1/admin/products/{productId}`: the id is the path's; one in the body must match it. */
export const putProductSchema = z.object({ id: productIdSchema.optional(), ...fields }).openapi('ProductInput');

/** One product of an import: its id is required. */
export const importedProductSchema = z
  .object({
    id: productIdSchema,
    ...fields,
    on_hand: z.number().int().min(0).max(LIMITS.onHandMax).optional().openapi({
      description:
        'Sets the product’s stock count (`/v1/admin/inventory/{productId}`) in the same step; absent: its stock record is left as it is.',
      example: 12,
    }),
  })
  .openapi('ImportedProduct');

export const importSchema = z
  .array(importedProductSchema)
  .min(1)
  .max(IMPORT_MAX)
  .refine((list) => new Set(list.map((product) => product.id)).size === list.length, 'Each id at most once');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' });

export const productSchema = z
  .object({
    id: productIdSchema,
    name: z.string().openapi({ example: 'Blue mug' }),
    prices: z.record(z.string(), z.number().int()).openapi({ example: { EUR: 1299, USD: 1399 } }),
    active: z.boolean(),
    metadata: metadataSchema,
    shippable: z.boolean(),
    tax_category: z.string().openapi({ example: 'standard' }),
    version: z.number().int().openapi({ example: 3 }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('Product');

export const productIdParam = z.object({
  productId: z.string().openapi({ param: { name: 'productId', in: 'path' }, example: 'sku-mug-blue' }),
});

export type ProductView = z.infer<typeof productSchema>;
