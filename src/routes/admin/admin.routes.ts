import { createRoute, z } from '@hono/zod-openapi';
import { LIMITS } from '../../cart/rules.js';
import { problemSchema } from '../../lib/problem.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

export const cartSummarySchema = z
  .object({
    id: z.string(),
    currency: z.string(),
    version: z.number().int(),
    line_count: z.number().int(),
    item_count: z.number().int(),
    subtotal: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    expires_at: z.string().nullable(),
  })
  .openapi('CartSummary');

export const listCarts = createRoute({
  method: 'get',
  path: '/v1/admin/carts',
  tags: ['Admin'],
  summary: 'List carts',
  description:
    'Live carts in creation order. Pages stay stable while carts are created: new carts come after the last page.',
  security: [{ adminToken: [] }],
  request: {
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(LIMITS.adminPageMax)
        .default(LIMITS.adminPageDefault)
        .openapi({ example: 50 }),
      cursor: z.string().optional().openapi({ description: 'The `next_cursor` of the previous page.' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of carts; `Link: <…>; rel="next"` when there are more.',
      headers: { Link: { schema: { type: 'string' as const } } },
      content: {
        'application/json': {
          schema: z.object({ carts: z.array(cartSummarySchema), next_cursor: z.string().nullable() }),
        },
      },
    },
    401: problem('No admin token was sent (`unauthorized`).'),
    403: problem('The admin token is wrong, or ADMIN_TOKEN is not set (`forbidden`).'),
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
  },
});
