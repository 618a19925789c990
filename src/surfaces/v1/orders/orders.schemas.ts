import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../../../cart/limits.js';
import { ORDER_STATUSES } from '../../../cart/order-status.js';
import {
  addressSchema,
  allocationSchema,
  metadataSchema,
  taxLineSchema,
  taxTotals,
  WELL_FORMED,
  wellFormed,
} from '../carts/carts.schemas.js';
import { orderDeliverySchema } from '../carts/delivery.schemas.js';

export const checkoutSchema = z
  .object({
    email: z.email().max(254).optional().openapi({ example: 'buyer@example.com' }),
    metadata: metadataSchema.optional(),
    expected_total: z.number().int().min(0).max(MAX_AMOUNT).optional().openapi({
      description:
        'The total the buyer was shown: where the checkout works out another, it is 409 `total-changed` and nothing changes.',
      example: 2338,
    }),
  })
  .openapi('Checkout');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' });

export const orderLineSchema = z
  .object({
    product_id: z.string().nullable().openapi({ example: 'sku-mug-blue' }),
    name: z.string().openapi({ example: 'Blue mug' }),
    unit_price: z.number().int().openapi({ example: 1299 }),
    quantity: z.number().int().openapi({ example: 2 }),
    line_total: z.number().int().openapi({ example: 2598 }),
    discount_allocations: z.array(allocationSchema),
    tax_lines: z.array(taxLineSchema),
    metadata: metadataSchema,
  })
  .openapi('OrderLine');

export const orderSchema = z
  .object({
    id: z.string().openapi({ example: 'ord_Vb3kQm0aZ9xYw2VbN7cD1e' }),
    cart_id: z.string().openapi({ example: 'crt_5J3kQm0aZ9xYw2VbN7cD1e' }),
    status: z.enum(ORDER_STATUSES).openapi({
      description:
        '`placed` → `paid` → `fulfilled`; `placed` or `paid` → `cancelled` (`PATCH /v1/admin/orders/{orderId}`).',
    }),
    version: z.number().int().openapi({ description: 'Moves with each change of status; the `ETag`.', example: 1 }),
    currency: z.string().openapi({ example: 'EUR' }),
    items: z.array(orderLineSchema),
    subtotal: z.number().int().openapi({ example: 2598 }),
    discount_total: z.number().int().openapi({ example: 0 }),
    discounts: z
      .array(allocationSchema)
      .openapi({ description: 'The codes the order was placed with (each redeemed once), and what each took.' }),
    delivery: orderDeliverySchema
      .nullable()
      .openapi({ description: 'The delivery the order ships with; null for none.' }),
    shipping_total: z.number().int().openapi({ example: 0 }),
    ...taxTotals,
    total: z.number().int().openapi({
      description: '`subtotal` − `discount_total` + `shipping_total`, + `tax_total` where prices exclude tax.',
      example: 2598,
    }),
    email: z.string().nullable().openapi({ description: "The checkout's `email`, else the cart's." }),
    note: z.string().nullable(),
    attributes: z.record(z.string(), z.string()),
    shipping_address: addressSchema.nullable(),
    billing_address: addressSchema.nullable(),
    customer_id: z.string().nullable(),
    metadata: metadataSchema,
    created_at: timestamp,
    status_history: z
      .array(z.object({ status: z.enum(ORDER_STATUSES), at: timestamp }).openapi('OrderStatusChange'))
      .openapi({ description: 'Every status the order has had, oldest first, `placed` at checkout.' }),
    payment_reference: z
      .string()
      .nullable()
      .openapi({ description: 'What the merchant recorded of the payment (a PSP id); null until set.' }),
  })
  .openapi('Order');

/** The longest `payment_reference` taken. */
export const PAYMENT_REFERENCE_MAX = 255;

export const orderMoveSchema = z
  .object({
    status: z.enum(ORDER_STATUSES).openapi({ description: 'The status to move the order to.', example: 'paid' }),
    payment_reference: z
      .string()
      .min(1)
      .max(PAYMENT_REFERENCE_MAX)
      .refine((text) => !text.includes('\u0000'), 'Must not contain NUL characters')
      .refine(wellFormed, WELL_FORMED)
      .optional()
      .openapi({
        description: 'Sets the payment reference with the move (absent: kept as it is).',
        example: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
      }),
  })
  .strict()
  .openapi('OrderMove');

export const orderIdParam = z.object({
  orderId: z.string().openapi({ param: { name: 'orderId', in: 'path' }, example: 'ord_Vb3kQm0aZ9xYw2VbN7cD1e' }),
});

export type OrderView = z.infer<typeof orderSchema>;
