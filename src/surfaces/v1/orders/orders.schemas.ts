import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../../../cart/limits.js';
import { addressSchema, allocationSchema, metadataSchema, taxLineSchema, taxTotals } from '../carts/carts.schemas.js';
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
    status: z.literal('placed'),
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
  })
  .openapi('Order');

export const orderIdParam = z.object({
  orderId: z.string().openapi({ param: { name: 'orderId', in: 'path' }, example: 'ord_Vb3kQm0aZ9xYw2VbN7cD1e' }),
});

export type OrderView = z.infer<typeof orderSchema>;
