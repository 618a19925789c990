import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import { canonicalMetadata, type Metadata } from '../../../cart/metadata.js';
import type { ProductInput, ProductRow } from '../../../data/products.js';
import { bodyLimit } from '../../../platform/body-limit.js';
import { invalidProblem, issuesToErrors, problem } from '../../../platform/problem.js';
import { pathIdIssue } from '../carts/carts.schemas.js';
import { keyCursor, keyedPage } from '../paging.js';
import type * as r from './catalog.routes.js';
import { IMPORT_BODY_LIMIT, importSchema, type ProductView } from './catalog.schemas.js';

type Ctx = Context<AppEnv>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A stored product as API.md §4 shows it. */
export const productView = (row: ProductRow): ProductView => ({
  id: row.id,
  name: row.name,
  prices: JSON.parse(row.prices) as Record<string, number>,
  active: row.active,
  metadata: JSON.parse(row.metadata) as Metadata,
  shippable: row.shippable,
  tax_category: row.taxCategory,
  version: row.version,
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

const sendProduct = <S extends 200 | 201>(c: Ctx, row: ProductRow, status: S) => {
  c.header('ETag', `"${row.version}"`);
  return c.json(productView(row), status);
};

const noProduct = (c: Ctx) => problem(c, 404, 'not-found', 'No product with that id.');

const input = (
  id: string,
  body: {
    name: string;
    prices: Record<string, number>;
    active: boolean;
    metadata?: Metadata | undefined;
    shippable: boolean;
    tax_category: string;
  },
): ProductInput => ({
  id,
  name: body.name,
  prices: body.prices,
  active: body.active,
  metadata: canonicalMetadata(body.metadata),
  shippable: body.shippable,
  taxCategory: body.tax_category,
});

export const putProduct: RouteHandler<typeof r.putProduct, AppEnv> = async (c) => {
  const id = c.req.param('productId');
  const body = c.req.valid('json');
  const idProblem = pathIdIssue('productId', id, body.id);
  if (idProblem !== undefined)
    return problem(c, 422, 'validation-failed', 'The request body has 1 invalid field.', [idProblem]);
  const { created, row } = await c.get('store').products.put(input(id, body), c.get('now')());
  return created ? sendProduct(c, row, 201) : sendProduct(c, row, 200);
};

export const getProduct: RouteHandler<typeof r.getProduct, AppEnv> = async (c) => {
  const row = await c.get('store').products.get(c.req.param('productId'));
  return row === undefined ? noProduct(c) : sendProduct(c, row, 200);
};

export const deleteProduct: RouteHandler<typeof r.deleteProduct, AppEnv> = async (c) => {
  const gone = await c.get('store').products.remove(c.req.param('productId'));
  return gone ? c.body(null, 204) : noProduct(c);
};

const cursors = keyCursor('p');

export const listProducts: RouteHandler<typeof r.listProducts, AppEnv> = async (c) => {
  const page = await keyedPage(
    c,
    c.req.valid('query'),
    cursors,
    'id',
    (limit, after) => c.get('store').products.list(limit, after),
    productView,
  );
  if ('refused' in page) return page.refused;
  return c.json({ products: page.items, next_cursor: page.next }, 200);
};

const NDJSON = /^application\/x-ndjson$/i;
/** The import body importBody read, by request. */
const imported = new WeakMap<Request, unknown>();
const mediaType = (c: Ctx) => c.req.header('content-type')?.split(';')[0]?.trim() ?? '';

/**
 * The import's own body rules (API.md §4): up to 5 MiB, a JSON array or
 * NDJSON. An NDJSON body is read into the array it stands for; a line that
 * is not JSON is 400 naming the line.
 */
export const importBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = mediaType(c);
  if (!NDJSON.test(type) && !/^application\/([\w.-]+\+)?json$/i.test(type))
    return problem(
      c,
      415,
      'unsupported-media-type',
      'Send a JSON array (application/json) or NDJSON (application/x-ndjson).',
    );
  const limited = bodyLimit(IMPORT_BODY_LIMIT, (cx) =>
    problem(cx, 413, 'body-too-large', `The body is over ${IMPORT_BODY_LIMIT} bytes.`),
  );
  let malformed: Response | undefined;
  const answered = await limited(c, async () => {
    const parsed = parseImport(await c.req.text(), NDJSON.test(type));
    if (typeof parsed === 'string') {
      malformed = problem(c, 400, 'malformed-json', parsed);
      return;
    }
    imported.set(c.req.raw, parsed.value);
    await next();
  });
  return malformed ?? answered;
};

/** An import body as the array it stands for, or why it cannot be read. */
function parseImport(text: string, ndjson: boolean): { value: unknown } | string {
  if (!ndjson) {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return 'The body is not valid JSON.';
    }
  }
  const products: unknown[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      products.push(JSON.parse(line));
    } catch {
      return `Line ${index + 1} of the NDJSON body is not valid JSON.`;
    }
  }
  return { value: products };
}

export const importProducts: RouteHandler<typeof r.importProducts, AppEnv> = async (c) => {
  // JSON bodies were validated by the route; NDJSON (and no body) is validated here, by the same schema.
  const result = importSchema.safeParse(imported.get(c.req.raw));
  if (!result.success) return invalidProblem(c, 'body', issuesToErrors(result.error), '; nothing was imported');
  const counts = await c.get('store').products.upsert(
    result.data.map((product) => input(product.id, product)),
    c.get('now')(),
    result.data.flatMap((product) =>
      product.on_hand === undefined ? [] : [[product.id, product.on_hand] as [string, number]],
    ),
  );
  return c.json(counts, 200);
};
