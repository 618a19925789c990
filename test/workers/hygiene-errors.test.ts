import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { storeFor } from '../../src/runtime/workers/index.js';
import { send } from '../cases/client.js';
import { queryErrorLogCases } from '../cases/log-hygiene.cases.js';

queryErrorLogCases(() => storeFor(env.DB));

describe('the Worker', () => {
  it('builds one store per D1 binding, so what it prepares lasts the isolate', () => {
    expect(storeFor(env.DB)).toBe(storeFor(env.DB));
  });

  it('serves the docs files with the headers every answer carries', async () => {
    const reply = await send(
      (path, init) => SELF.fetch(`http://edgecart.test${path}`, init),
      'GET',
      '/docs/assets/swagger-ui.css',
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(reply.headers.get('strict-transport-security')).toContain('max-age=');
  });
});
