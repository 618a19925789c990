import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { EVENT_TYPES, type EventType } from '../../../data/events.js';
import { cartSchema } from '../carts/carts.schemas.js';
import { orderSchema } from '../orders/orders.schemas.js';

/** What each event reports (README, Events and webhooks): its `data` and when it is written. */
const EVENTS: Record<EventType, { data: z.ZodType; description: string }> = {
  'order.placed': { data: orderSchema, description: 'A cart was checked out: `data` is the order as placed.' },
  'order.paid': { data: orderSchema, description: 'An order moved to `paid`: `data` is the order after the move.' },
  'order.fulfilled': {
    data: orderSchema,
    description: 'An order moved to `fulfilled`: `data` is the order after the move.',
  },
  'order.cancelled': {
    data: orderSchema,
    description:
      'An order was cancelled (its discount redemptions given back in the same step): `data` is the order after the move.',
  },
  'cart.expired': { data: cartSchema, description: 'A cart expired unconverted: `data` is the cart as it was.' },
};

/**
 * The events the service sends to `WEBHOOK_URL`, as the OpenAPI document's
 * `webhooks`: a CloudEvents 1.0 envelope, signed per Standard Webhooks.
 */
export function registerWebhooks(registry: OpenAPIHono['openAPIRegistry']) {
  for (const type of EVENT_TYPES) {
    const { data, description } = EVENTS[type];
    registry.registerWebhook({
      operationId: `${type.replace(/\.(\w)/, (_, c: string) => c.toUpperCase())}Webhook`,
      method: 'post',
      path: type,
      security: [{ webhookSignature: [] }],
      summary: type,
      description: `${description} Written in the same atomic step as the change it reports, and sent at least once, signed per Standard Webhooks (verify \`webhook-signature\` with \`WEBHOOK_SECRET\`); answer 2xx to acknowledge.`,
      request: {
        headers: z.object({
          'webhook-id': z.string().openapi({ description: 'The event id: the same on every retry.' }),
          'webhook-timestamp': z.string().openapi({ description: 'Seconds since the Unix epoch.' }),
          'webhook-signature': z.string().openapi({ description: '`v1,<base64 HMAC-SHA256>`.' }),
        }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                specversion: z.literal('1.0'),
                id: z.string(),
                source: z.string(),
                type: z.literal(type),
                time: z.string().openapi({ format: 'date-time' }),
                datacontenttype: z.literal('application/json'),
                data,
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Acknowledged (any 2xx); anything else is retried with backoff.', headers: {} },
      },
    });
  }
}
