import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
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
const errors = {
  400: json(errorEnvelope, 'Invalid input: `data` maps each field to its messages.'),
  401: json(errorEnvelope, 'ADMIN_TOKEN is set and no token was sent.'),
  403: json(errorEnvelope, 'ADMIN_TOKEN is set and the token is wrong.'),
};
const notFound = { 404: json(errorEnvelope, 'No such item: `{"detail":"Not found."}`.') };
const id = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '1' }) });
const tags = ['Classic /api/cart-items/'];

export function registerClassicDocs(registry: OpenAPIHono['openAPIRegistry']) {
  const routes = [
    createRoute({
      method: 'get',
      path: '/api/cart-items/',
      tags,
      summary: 'List the items of the default cart',
      responses: {
        200: json(successOf(z.array(itemSchema)), 'Every item, in id order.'),
        401: errors[401],
        403: errors[403],
      },
    }),
    createRoute({
      method: 'post',
      path: '/api/cart-items/',
      tags,
      summary: 'Add an item (never merges)',
      request: { body: body(createItemBody(2)) },
      responses: {
        200: json(successOf(itemSchema), 'The new item.'),
        ...errors,
        413: json(errorEnvelope, 'The body is over 64 KiB.'),
        415: json(errorEnvelope, 'A body that is neither JSON nor a form.'),
      },
    }),
    createRoute({
      method: 'get',
      path: '/api/cart-items/{id}',
      tags,
      summary: 'Read an item',
      request: { params: id },
      responses: { 200: json(successOf(itemSchema), 'The item.'), 401: errors[401], 403: errors[403], ...notFound },
    }),
    createRoute({
      method: 'patch',
      path: '/api/cart-items/{id}',
      tags,
      summary: 'Change an item (partial; `{}` changes nothing)',
      request: { params: id, body: body(updateItemBody(2)) },
      responses: { 200: json(successOf(itemSchema), 'The changed item.'), ...errors, ...notFound },
    }),
    createRoute({
      method: 'delete',
      path: '/api/cart-items/{id}',
      tags,
      summary: 'Delete an item',
      request: { params: id },
      responses: {
        200: json(successOf(z.literal('Item Deleted')), '`{"status":"success","data":"Item Deleted"}`'),
        401: errors[401],
        403: errors[403],
        ...notFound,
      },
    }),
  ];
  for (const route of routes) registry.registerPath(route);
}
