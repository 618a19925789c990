/** The OpenAPI document's own fields; its paths and schemas come from the routes. */
export const DOCUMENT_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'edgecart',
    version: '1',
    description:
      'A shopping-cart API: the classic `/api/cart-items/` surface and the `/v1` cart API. Money is an integer count of the currency’s minor unit.',
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: '/', description: 'This service' }],
  tags: [
    { name: 'Carts', description: 'Create, read and delete carts; the cart id is the capability to use one.' },
    { name: 'Lines', description: 'Add, change and remove the lines of a cart.' },
    { name: 'Admin', description: 'Operator routes, behind the admin token.' },
    { name: 'Classic', description: 'The tutorial’s `/api/cart-items/` surface over the default cart.' },
  ],
};

export const SECURITY_SCHEMES = {
  webhookSignature: {
    type: 'apiKey' as const,
    in: 'header' as const,
    name: 'webhook-signature',
    description:
      'How a webhook receiver knows an event is the service’s: `webhook-signature` is `v1,` + HMAC-SHA256 of `webhook-id.webhook-timestamp.body` with `WEBHOOK_SECRET` (Standard Webhooks); verify it with any Standard Webhooks library.',
  },
  adminToken: {
    type: 'http' as const,
    scheme: 'bearer',
    description: 'The `ADMIN_TOKEN` of the deployment, as `Authorization: Bearer <token>`.',
  },
  customerToken: {
    type: 'http' as const,
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A signed-in customer: a JWT from the storefront’s identity provider (verified against `AUTH_JWKS_URL` or `AUTH_PUBLIC_KEY`; `sub` is the customer id), as `Authorization: Bearer <jwt>`. A cart created with it is bound to that customer.',
  },
};
