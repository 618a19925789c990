import { createRoute, z } from '@hono/zod-openapi';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import {
  adminSecurity,
  bodyErrors,
  bookmarkRefused,
  etagHeader,
  everywhere,
  jsonBody,
  pageResponse,
  problem,
  unwantedBody,
} from '../responses.js';
import {
  IMPORT_BODY_LIMIT,
  IMPORT_MAX,
  importSchema,
  productIdParam,
  productSchema,
  putProductSchema,
} from './catalog.schemas.js';

const productResponse = (description: string) => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: productSchema } },
});
const notFound = { 404: problem('No product with that id (`not-found`).') };

export const putProduct = createRoute({
  operationId: 'putProduct',
  method: 'put',
  path: '/admin/products/{productId}',
  tags: ['Catalog'],
  summary: 'Create or replace a product',
  description:
    'Creates the product, or replaces every field of an existing one (its `version` grows). Carts read the new name and price from the next add on; lines already added keep theirs until checkout compares them.',
  security: adminSecurity,
  request: { params: productIdParam, headers: bookmarkHeader, body: jsonBody(putProductSchema, true) },
  responses: withBookmark({
    200: productResponse('The product, replaced.'),
    201: productResponse('The product, created.'),
    ...bodyErrors,
    ...adminErrors,
    ...everywhere,
  }),
});

export const getProduct = createRoute({
  operationId: 'getProduct',
  method: 'get',
  path: '/admin/products/{productId}',
  tags: ['Catalog'],
  summary: 'Read a product',
  security: adminSecurity,
  request: { params: productIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: productResponse('The product.'),
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...everywhere,
  }),
});

export const listProducts = createRoute({
  operationId: 'listProducts',
  method: 'get',
  path: '/admin/products',
  tags: ['Catalog'],
  summary: 'List products',
  description: 'Products in id order, a page at a time.',
  security: adminSecurity,
  request: { query: pageQuery, headers: bookmarkHeader },
  responses: withBookmark({
    200: pageResponse('products', productSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const deleteProduct = createRoute({
  operationId: 'deleteProduct',
  method: 'delete',
  path: '/admin/products/{productId}',
  tags: ['Catalog'],
  summary: 'Delete a product',
  description: 'Lines already in carts keep their name and price; checkout then reports them as `product-unavailable`.',
  security: adminSecurity,
  request: { params: productIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    204: { description: 'Deleted.' },
    ...bookmarkRefused,
    ...adminErrors,
    ...notFound,
    ...unwantedBody,
    ...everywhere,
  }),
});

export const importProducts = createRoute({
  operationId: 'importProducts',
  method: 'post',
  path: '/admin/products/import',
  tags: ['Catalog'],
  summary: 'Import products',
  description: `Creates or replaces up to ${IMPORT_MAX} products at once, all or nothing: one invalid product and nothing is stored (\`errors\` lists every bad path, e.g. \`17.prices.EUR\`). The body is a JSON array, or NDJSON (\`application/x-ndjson\`, one product a line); up to ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB. A product that already exists counts as updated, changed or not.`,
  security: adminSecurity,
  request: {
    headers: bookmarkHeader,
    body: {
      // Not required here, or the framework would validate every body as JSON, NDJSON too; the
      // document says required (without a body the import is 415): see importBodyRequired.
      required: false,
      content: {
        'application/json': { schema: importSchema },
        'application/x-ndjson': { schema: z.string().openapi({ description: 'One product (JSON) a line.' }) },
      },
    },
  },
  responses: withBookmark({
    200: {
      description: 'How many products were created and how many replaced.',
      content: {
        'application/json': {
          schema: z
            .object({ created: z.number().int(), updated: z.number().int() })
            .openapi({ example: { created: 3, updated: 1 } }),
        },
      },
    },
    ...bodyErrors,
    413: problem(`The body is over ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB (\`body-too-large\`).`),
    415: problem('The body is neither `application/json` nor `application/x-ndjson` (`unsupported-media-type`).'),
    ...adminErrors,
    ...everywhere,
  }),
});

/**
 * The document as it should read for the import: its body is required
 * (without one the answer is 415), which the route cannot say without the
 * framework validating NDJSON as JSON.
 */
export function importBodyRequired<D extends { paths?: Record<string, { post?: { requestBody?: object } }> }>(
  document: D,
) {
  const body = document.paths?.['/v1/admin/products/import']?.post?.requestBody;
  if (body !== undefined && 'content' in body) Object.assign(body, { required: true });
  return document;
}
