import { env, SELF } from 'cloudflare:test';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/app-env.js';
import { createLogger } from '../../src/platform/logger.js';
import { storeFor } from '../../src/runtime/workers/index.js';
import { v1ErrorHandler } from '../../src/surfaces/v1/index.js';
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

describe('the /v1 error handler', () => {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'req-1');
    await next();
  });
  app.get('/bad-request', () => {
    throw new HTTPException(400, { message: 'not JSON at all' });
  });
  app.get('/unsupported', () => {
    throw new HTTPException(415);
  });
  app.get('/boom', () => {
    throw new Error('secret detail');
  });
  app.onError(v1ErrorHandler(createLogger('silent')));

  it('answers a framework 400 as bad-request, not as malformed JSON', async () => {
    const res = await app.request('/bad-request');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: '/problems/bad-request', status: 400 });
  });

  it('answers a framework 415 as unsupported-media-type', async () => {
    const res = await app.request('/unsupported');
    expect(await res.json()).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });
  });

  it('answers anything else with a bare 500 quoting the request id', async () => {
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('req-1');
    expect(text).not.toContain('secret detail');
  });
});
