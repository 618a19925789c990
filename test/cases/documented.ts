import type { z } from '@hono/zod-openapi';
import { expect } from 'vitest';
import * as adminRoutes from '../../src/surfaces/v1/admin/admin.routes.js';
import * as cartRoutes from '../../src/surfaces/v1/carts/carts.routes.js';
import type { Reply } from './client.js';

interface DocumentedRoute {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>;
}

const routes = [...Object.values(cartRoutes), ...Object.values(adminRoutes)].filter(
  (value): value is DocumentedRoute & typeof value =>
    typeof value === 'object' && value !== null && 'method' in value && 'responses' in value,
) as DocumentedRoute[];

const matcher = (template: string) => new RegExp(`^/v1${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);

/**
 * Asserts that a reply is one the OpenAPI document promises: its status is
 * listed for the route, and its body parses with the schema documented for
 * that status and media type (the same zod schemas the document is built from).
 */
export function expectDocumented(method: string, path: string, reply: Reply) {
  const pathname = path.split('?')[0] ?? path;
  const route = routes.find((r) => r.method === method.toLowerCase() && matcher(r.path).test(pathname));
  if (!route) return; // 405s and unknown paths have no route to hold them to.
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
