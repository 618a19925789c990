import { createExecutionContext, env } from 'cloudflare:test';
import { expect, it } from 'vitest';
import worker from '../../src/runtime/workers/index.js';

it('answers 500 problem+json, naming nothing secret, while the Worker vars are invalid', async () => {
  const bad = { ...env, DEFAULT_CURRENCY: 'dollars', ADMIN_TOKEN: 'short-secret' } as typeof env;
  const res = await worker.fetch(
    new Request('http://edgecart.test/v1/carts', { method: 'POST' }),
    bad,
    createExecutionContext(),
  );
  expect(res.status).toBe(500);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const text = await res.text();
  expect(JSON.parse(text).detail).toMatch(/misconfigured/);
  expect(text).not.toContain('short-secret');
});
