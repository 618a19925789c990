import type { z } from '@hono/zod-openapi';
import { expect } from 'vitest';
import * as adminRoutes from '../../src/surfaces/v1/admin/admin.routes.js';
import * as cartRoutes from '../../src/surfaces/v1/carts/carts.routes.js';
import * as deliveryRoutes from '../../src/surfaces/v1/carts/delivery.routes.js';
import * as catalogRoutes from '../../src/surfaces/v1/catalog/catalog.routes.js';
import * as customerRoutes from '../../src/surfaces/v1/customers/customers.routes.js';
import * as discountRoutes from '../../src/surfaces/v1/discounts/discounts.routes.js';
import * as eventRoutes from '../../src/surfaces/v1/events/events.routes.js';
import * as inventoryRoutes from '../../src/surfaces/v1/inventory/inventory.routes.js';
import * as orderRoutes from '../../src/surfaces/v1/orders/orders.routes.js';
import * as shippingRoutes from '../../src/surfaces/v1/shipping/shipping.routes.js';
import * as taxRoutes from '../../src/surfaces/v1/tax/tax.routes.js';
import type { Reply } from './client.js';

interface DocumentedRoute {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>;
}

/** Every route the /v1 surface documents (their paths are relative to /v1). */
const routes = [
  ...Object.values(cartRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(catalogRoutes),
  ...Object.values(discountRoutes),
  ...Object.values(customerRoutes),
  ...Object.values(orderRoutes),
  ...Object.values(eventRoutes),
  ...Object.values(shippingRoutes),
  ...Object.values(deliveryRoutes),
  ...Object.values(taxRoutes),
  ...Object.values(inventoryRoutes),
].filter(
  (value): value is DocumentedRoute & typeof value =>
    typeof value === 'object' && value !== null && 'method' in value && 'responses' in value,
) as DocumentedRoute[];
// A refactor that moved the routes must not turn every check below into a no-op.
if (routes.length < 8) throw new Error(`the conformance check found only ${routes.length} documented /v1 routes`);

const matcher = (template: string) => new RegExp(`^/v1${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);

let checked = 0;
/** How many replies expectDocumented has held to the document so far in this file. */
export const documentedChecks = () => checked;

/**
 * Asserts that a reply is one the OpenAPI document promises: its status is
 * listed for the route, and its body parses with the schema documented for
 * that status and media type (the same zod schemas the document is built from).
 * A /v1 reply for which no documented route matches fails, unless it is the
 * 404 of an unknown path or the 405 of a method the path does not take.
 */
export function expectDocumented(method: string, path: string, reply: Reply) {
  const pathname = path.split('?')[0] ?? path;
  const route = routes.find((r) => r.method === method.toLowerCase() && matcher(r.path).test(pathname));
  if (!route) {
    expect([404, 405], `${method} ${pathname} answered ${reply.status} with no documented route`).toContain(
      reply.status,
    );
    return;
  }
  checked++;
  const documented = route.responses[String(reply.status)];
  expect(documented, `${method} ${route.path} documents status ${reply.status}`).toBeDefined();
  const mediaType = (reply.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const content = documented?.content;
  if (!content) {
    expect(reply.text, `${method} ${route.path} ${reply.status} has no body`).toBe('');
    return;
  }
  const schema = content[mediaType]?.schema;
  expect(schema, `${method} ${route.path} ${reply.status} documents ${mediaType}`).toBeDefined();
  const parsed = schema?.safeParse(reply.json);
  expect(
    parsed?.success,
    `${method} ${route.path} ${reply.status} body matches: ${JSON.stringify(parsed?.error?.issues)}`,
  ).toBe(true);
}
