import { createRoute, z } from '@hono/zod-openapi';
import { LIMITS } from '../../../cart/limits.js';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminSecurity, bookmarkRefused, everywhere, pageResponse, problem } from '../responses.js';

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

/** A page of an admin listing: `limit` and the `cursor` of the previous page. */
export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.adminPageMax)
    .default(LIMITS.adminPageDefault)
    .openapi({ example: 50 }),
  cursor: z.string().optional().openapi({ description: 'The `next_cursor` of the previous page.' }),
});

export const adminErrors = {
  401: problem('No admin token was sent (`unauthorized`).'),
  403: problem('The admin token is wrong, or ADMIN_TOKEN is not set (`forbidden`).'),
};

export const listCarts = createRoute({
  operationId: 'listCarts',
  method: 'get',
  path: '/admin/carts',
  tags: ['Admin'],
  summary: 'List carts',
  description:
    'Live carts in creation order. Pages stay stable while carts are created: new carts come after the last page.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('carts', cartSummarySchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});
