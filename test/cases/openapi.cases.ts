import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

/** Every route of API.md §1, §2, §4 and §5, as the OpenAPI document must list it. */
export const DOCUMENTED_OPERATIONS = [
  'get /api/cart-items/',
  'post /api/cart-items/',
  'get /api/cart-items/{id}',
  'patch /api/cart-items/{id}',
  'delete /api/cart-items/{id}',
  'post /v1/carts',
  'get /v1/carts/{cartId}',
  'delete /v1/carts/{cartId}',
  'post /v1/carts/{cartId}/items',
  'patch /v1/carts/{cartId}',
  'put /v1/carts/{cartId}/delivery',
  'delete /v1/carts/{cartId}/delivery',
  'put /v1/carts/{cartId}/tax',
  'put /v1/admin/shipping-rates/{rateId}',
  'get /v1/admin/shipping-rates/{rateId}',
  'delete /v1/admin/shipping-rates/{rateId}',
  'get /v1/admin/shipping-rates',
  'put /v1/admin/tax-rates/{rateId}',
  'get /v1/admin/tax-rates/{rateId}',
  'delete /v1/admin/tax-rates/{rateId}',
  'get /v1/admin/tax-rates',
  'patch /v1/carts/{cartId}/items/{itemId}',
  'delete /v1/carts/{cartId}/items/{itemId}',
  'delete /v1/carts/{cartId}/items',
  'get /v1/admin/carts',
  'put /v1/admin/products/{productId}',
  'get /v1/admin/products/{productId}',
  'delete /v1/admin/products/{productId}',
  'get /v1/admin/products',
  'post /v1/admin/products/import',
  'post /v1/carts/{cartId}/checkout',
  'get /v1/orders/{orderId}',
  'get /v1/admin/orders',
  'patch /v1/admin/orders/{orderId}',
  'put /v1/admin/inventory/{productId}',
  'get /v1/admin/inventory/{productId}',
  'post /v1/admin/inventory/{productId}/adjustments',
  'get /v1/admin/inventory',
  'get /v1/admin/events',
  'post /v1/admin/events/{eventId}/redeliver',
  'post /v1/carts/{cartId}/discount-codes',
  'delete /v1/carts/{cartId}/discount-codes/{code}',
  'put /v1/admin/discounts/{code}',
  'get /v1/admin/discounts/{code}',
  'delete /v1/admin/discounts/{code}',
  'get /v1/admin/discounts',
  'get /v1/customers/me/cart',
  'get /v1/customers/me/orders',
  'post /v1/customers/me/cart/merge',
];

/** The events documented as the document's `webhooks` (README, Events and webhooks). */
export const DOCUMENTED_WEBHOOKS = ['order.placed', 'order.paid', 'order.fulfilled', 'order.cancelled', 'cart.expired'];

interface OperationDoc {
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

export function openapiCases(fetcher: Fetcher) {
  describe('GET /openapi.json', () => {
    it('documents every event the service sends as a webhook, its body a CloudEvents envelope of the order or the cart', async () => {
      const doc = (await send(fetcher, 'GET', '/openapi.json')).json;
      const webhooks = doc.webhooks as Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: unknown }> } } }
      >;
      expect(Object.keys(webhooks).sort()).toEqual([...DOCUMENTED_WEBHOOKS].sort());
      for (const [type, hook] of Object.entries(webhooks)) {
        const schema = hook.post.requestBody.content['application/json']?.schema as {
          properties: { type: { const?: string; enum?: string[] }; data: { $ref: string } };
        };
        expect([schema.properties.type.const ?? schema.properties.type.enum?.[0]], type).toEqual([type]);
        expect(schema.properties.data.$ref, type).toBe(
          type === 'cart.expired' ? '#/components/schemas/Cart' : '#/components/schemas/Order',
        );
      }
    });

    it('documents every route, with examples and the statuses each can return', async () => {
      const reply = await send(fetcher, 'GET', '/openapi.json');
      expect(reply.status).toBe(200);
      const doc = reply.json;
      expect(doc.openapi).toBe('3.1.0');
      const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method} ${path}`),
      );
      expect(operations.sort()).toEqual([...DOCUMENTED_OPERATIONS].sort());
      const addItem = doc.paths['/v1/carts/{cartId}/items'].post;
      expect(Object.keys(addItem.responses).sort()).toEqual([
        '200',
        '201',
        '400',
        '401',
        '403',
        '404',
        '405',
        '409',
        '412',
        '413',
        '415',
        '422',
        '429',
        '503',
      ]);
      expect(doc.components.schemas.Cart.properties.subtotal.example).toBe(2598);
      expect(doc.components.schemas.Problem).toBeDefined();
      expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.securitySchemes.customerToken).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
      expect(doc.paths['/v1/customers/me/cart'].get.security).toEqual([{ customerToken: [] }]);
      expect(addItem.operationId).toBe('addCartItem');
      expect(addItem.responses['412'].headers.ETag).toBeDefined();
    });

    it('documents what an independent validator found missing or wrong', async () => {
      const doc = (await send(fetcher, 'GET', '/openapi.json')).json;
      // The classic collection under the tutorial's own spelling, so /api/cart-items/ is not an item with an empty id.
      expect(Object.keys(doc.paths['/api/cart-items/']).sort()).toEqual(['get', 'post']);
      expect(doc.paths['/api/cart-items']).toBeUndefined();
      // A coerced form value ("2.50") matches number and string at once: anyOf, never oneOf.
      const input = doc.components.schemas.ClassicItemInput.properties;
      for (const field of ['product_name', 'product_price', 'product_quantity']) {
        expect(input[field].oneOf, field).toBeUndefined();
        expect(input[field].anyOf.length, field).toBeGreaterThan(1);
      }
      expect(input.product_name.anyOf.map((option: { type: string }) => option.type).sort()).toEqual([
        'number',
        'string',
      ]);
      // Routes that honour customer and admin bearers say so.
      const bearers = [{}, { customerToken: [] }, { adminToken: [] }];
      expect(doc.paths['/v1/carts'].post.security).toEqual(bearers);
      expect(doc.paths['/v1/orders/{orderId}'].get.security).toEqual(bearers);
      expect(doc.paths['/v1/orders/{orderId}'].get.description).toContain('only to that customer');
      // Every DELETE, and the event redelivery, answer an oversized body 413; the redelivery a non-JSON one 415.
      for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, OperationDoc>>))
        if (item.delete) expect(Object.keys(item.delete.responses), path).toContain('413');
      const redeliver = doc.paths['/v1/admin/events/{eventId}/redeliver'].post.responses;
      expect(Object.keys(redeliver)).toEqual(expect.arrayContaining(['413', '415']));
      // The import answers 415 without a body: its body is required.
      expect(doc.paths['/v1/admin/products/import'].post.requestBody.required).toBe(true);
    });

    it('documents X-Bookmark on every operation: taken as a header, answered on every status', async () => {
      const doc = (await send(fetcher, 'GET', '/openapi.json')).json;
      const missing: string[] = [];
      for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, OperationDoc>>)) {
        for (const [method, operation] of Object.entries(item)) {
          const where = `${method} ${path}`;
          if (!operation.parameters?.some((p) => p.in === 'header' && p.name.toLowerCase() === 'x-bookmark'))
            missing.push(`${where} parameter`);
          for (const [status, response] of Object.entries(operation.responses))
            if (response.headers?.['X-Bookmark'] === undefined) missing.push(`${where} ${status}`);
        }
      }
      expect(missing).toEqual([]);
    });
  });
}
