import { describe, expect, it } from 'vitest';
import { docsAssets } from '../../src/runtime/node/docs-assets.js';
import { send } from '../cases/client.js';
import { nodeApp } from './app.js';

const { fetcher } = await nodeApp({}, undefined, { docsAssets: docsAssets() });

describe('/docs/assets on Node', () => {
  it.each(['swagger-ui.css', 'swagger-ui-bundle.js'])(
    'serves %s, with the docs page policy and the headers every answer carries',
    async (file) => {
      const reply = await send(fetcher, 'GET', `/docs/assets/${file}`);
      expect(reply.status).toBe(200);
      expect(reply.text.length).toBeGreaterThan(1000);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
      expect(reply.headers.get('content-security-policy')).toContain("script-src 'self'");
    },
  );

  it.each([
    'index.html',
    'package.json',
    'swagger-ui-bundle.js.map',
    'swagger-initializer.js',
    'oauth2-redirect.html',
    '..%2Fpackage.json',
  ])('serves nothing else of the package: %s is 404', async (file) => {
    const reply = await send(fetcher, 'GET', `/docs/assets/${file}`);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
