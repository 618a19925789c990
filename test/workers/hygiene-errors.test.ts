import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sessionStoreFor, storeFor } from '../../src/runtime/workers/index.js';
import { send } from '../cases/client.js';
import { queryErrorLogCases } from '../cases/log-hygiene.cases.js';

queryErrorLogCases(() => storeFor(env.DB));

describe('the Worker', () => {
  it('remembers what it reads once of a D1 database across requests’ stores', async () => {
    const first = sessionStoreFor(env.DB, { bookmark: undefined, writes: false });
    const currency = await first.carts.defaultCurrency();
    await env.DB.prepare("update carts set currency = 'EUR' where id = 'default'").run();
    try {
      const later = sessionStoreFor(env.DB, { bookmark: undefined, writes: false });
      expect(later).not.toBe(first);
      // Read once per binding: a later request's store does not read it again.
      expect(await later.carts.defaultCurrency()).toBe(currency);
    } finally {
      await env.DB.prepare(`update carts set currency = '${currency}' where id = 'default'`).run();
    }
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
