import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

const get = (path: string) => SELF.fetch(`http://edgecart.test${path}`);

it('serves the /docs page and its Swagger UI files from the Worker itself', async () => {
  const page = await get('/docs');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    expect(source.startsWith('/')).toBe(true);
    const asset = await get(source);
    expect(asset.status, source).toBe(200);
    expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(50);
    expect(asset.headers.get('x-content-type-options'), source).toBe('nosniff');
  }
});
