import { z } from '@hono/zod-openapi';
import type { DeliveryReason } from '../../../cart/delivery.js';
import { DELIVERY_REASONS } from '../../../cart/refusals.js';

/* Delivery on a cart and an order (API.md §10): the options, the selection, the request that selects. */

const REASONS = Object.keys(DELIVERY_REASONS).map((refusal) => refusal.slice('delivery-'.length)) as [
  DeliveryReason,
  ...DeliveryReason[],
];

export const deliveryOptionSchema = z
  .object({
    id: z.string().openapi({ example: 'standard-eu' }),
    name: z.string().openapi({ example: 'Standard (3–5 days)' }),
    amount: z.number().int().openapi({ description: 'What it costs this cart (0 from `free_over` on).', example: 499 }),
  })
  .openapi('DeliveryOption');

export const cartDeliverySchema = z
  .object({
    option_id: z.string().openapi({ example: 'standard-eu' }),
    name: z.string().openapi({ example: 'Standard (3–5 days)' }),
    amount: z.number().int().openapi({ description: 'What it costs while it applies; 0 otherwise.', example: 499 }),
    applicable: z.boolean(),
    reason: z
      .enum(REASONS)
      .optional()
      .openapi({ description: 'Why the selection does not apply (only when `applicable` is false).' }),
  })
  .openapi('CartDelivery');

export const orderDeliverySchema = deliveryOptionSchema
  .extend({ option_id: z.string().openapi({ example: 'standard-eu' }) })
  .omit({ id: true })
  .openapi('OrderDelivery');

export const selectDeliverySchema = z
  .object({
    option_id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "One of the cart's `delivery_options`.", example: 'standard-eu' }),
  })
  .strict()
  .openapi('SelectDelivery');
