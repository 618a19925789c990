import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { BODY_LIMIT } from '../../platform/body-limit.js';
import { bookmarkHeader, withBookmark } from '../../platform/bookmark.js';
import { createItemBody, errorEnvelope, itemSchema, successOf, updateItemBody } from './classic.schemas.js';

// The classic handlers validate with these same schemas (for a USD default
// cart, 2 decimals); they are registered for the document only, because the
// tutorial's errors keep DRF's envelope rather than problem details.

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: {
    'application/json': { schema },
    'application/x-www-form-urlencoded': { schema },
    'multipart/form-data': { schema },
  },
});
const error = (description: string) => json(errorEnvelope, description);
const always = {
  400: error(
    'Invalid input: `data` maps each field to its messages (`non_field_errors` for the cart rules, `X-Bookmark` for a bookmark the service did not give out).',
  ),
  401: error('ADMIN_TOKEN is set and no token was sent.'),
  403: error('ADMIN_TOKEN is set and the token is wrong.'),
  405: error('The path does not take this method; `Allow` lists those it does.'),
  429: error('Over `RATE_LIMIT_PER_MINUTE`; retry after `Retry-After` seconds.'),
};
const withBody = {
  413: error(`The body is over ${BODY_LIMIT / 1024} KiB.`),
  415: error('A body that is neither JSON nor a form.'),
};
const notFound = { 404: error('No such item: `{"detail":"Not found."}`.') };
const id = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '1' }) });
const headers = bookmarkHeader;
const tags = ['Classic'];
// The classic surface is open, or needs the admin token while ADMIN_TOKEN is set.
const security = [{}, { adminToken: [] }];

/**
 * Registers the classic surface's operations under `base` in the app's
 * document: the collection at `${base}/`, the tutorial's own spelling (a
 * document without the slash would have a validator take `/api/cart-items/`
 * for an item with an empty id).
 */
export function registerClassicDocs(registry: OpenAPIHono['openAPIRegistry'], base: string) {
  const routes = [
    createRoute({
      operationId: 'listClassicItems',
      method: 'get',
      path: `${base}/`,
      tags,
      security,
      summary: 'List the items of the default cart',
      description: 'Also at the same path without its final slash.',
      request: { headers },
      responses: withBookmark({ 200: json(successOf(z.array(itemSchema)), 'Every item, in id order.'), ...always }),
    }),
    createRoute({
      operationId: 'createClassicItem',
      method: 'post',
      path: `${base}/`,
      tags,
      security,
      summary: 'Add an item (never merges)',
      description: 'Also at the same path without its final slash.',
      request: {
        body: body(createItemBody(2)),
        headers: headers.extend({
          'idempotency-key': z.string().optional().openapi({
            description:
              'Makes a retry safe: the first answer is stored for 24 h and replayed (with `Idempotent-Replayed: true`) for the same key and body.',
          }),
        }),
      },
      responses: withBookmark({
        200: {
          ...json(successOf(itemSchema), 'The new item.'),
          headers: {
            'Idempotent-Replayed': {
              description: '`true` when this is the stored answer to an earlier request with the same key.',
              schema: { type: 'string' as const },
            },
          },
        },
        ...withBody,
        409: error('A request with the same `Idempotency-Key` is still running.'),
        422: error('The `Idempotency-Key` was used with another body.'),
        ...always,
      }),
    }),
    createRoute({
      operationId: 'getClassicItem',
      method: 'get',
      path: `${base}/{id}`,
      tags,
      security,
      summary: 'Read an item',
      request: { params: id, headers },
      responses: withBookmark({ 200: json(successOf(itemSchema), 'The item.'), ...notFound, ...always }),
    }),
    createRoute({
      operationId: 'updateClassicItem',
      method: 'patch',
      path: `${base}/{id}`,
      tags,
      security,
      summary: 'Change an item (partial; `{}` changes nothing)',
      request: { params: id, headers, body: body(updateItemBody(2)) },
      responses: withBookmark({
        200: json(successOf(itemSchema), 'The changed item.'),
        ...withBody,
        ...notFound,
        ...always,
      }),
    }),
    createRoute({
      operationId: 'deleteClassicItem',
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      security,
      summary: 'Delete an item',
      request: { params: id, headers },
      responses: withBookmark({
        200: json(successOf(z.literal('Item Deleted')), '`{"status":"success","data":"Item Deleted"}`'),
        // Every body is held to the limit, even one a DELETE does not read.
        413: withBody[413],
        ...notFound,
        ...always,
      }),
    }),
  ];
  for (const route of routes) registry.registerPath(route);
}
