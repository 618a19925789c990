import { z } from '@hono/zod-openapi';
import { LIMITS } from '../../../cart/limits.js';

/* Stock (README, Stock), as the admin writes and reads it. */

const count = z.number().int().min(0).max(LIMITS.onHandMax);

/** `PUT /v1/admin/inventory/{productId}`: the count on hand. */
export const putStockSchema = z
  .object({
    on_hand: count.openapi({ description: 'Units left to sell: on the shelf and taken by no order yet.', example: 12 }),
  })
  .strict()
  .openapi('StockInput');

/** `POST /v1/admin/inventory/{productId}/adjustments`: a change relative to the count as it is. */
export const adjustmentSchema = z
  .object({
    delta: z
      .number()
      .int()
      .min(-LIMITS.onHandMax)
      .max(LIMITS.onHandMax)
      .openapi({ description: 'Units to add (received) or, negative, to take away (damaged, lost).', example: -2 }),
    reason: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .openapi({ description: 'Why, for the caller’s own records: checked, not stored.', example: 'damaged' }),
  })
  .strict()
  .openapi('StockAdjustment');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-12-07T10:00:00.000Z' });

export const stockSchema = z
  .object({
    product_id: z.string().openapi({ example: 'sku-mug-blue' }),
    on_hand: z.number().int().openapi({ example: 12 }),
    reserved: z.number().int().openapi({
      description: 'Units held by live reservations (`INVENTORY=reserve`): none yet, so 0.',
      example: 0,
    }),
    available: z.number().int().openapi({ description: '`max(0, on_hand − reserved)`.', example: 12 }),
    version: z.number().int().openapi({ example: 1 }),
    updated_at: timestamp,
  })
  .openapi('Stock');

export type StockView = z.infer<typeof stockSchema>;

export const stockIdParam = z.object({
  productId: z.string().openapi({ param: { name: 'productId', in: 'path' }, example: 'sku-mug-blue' }),
});
