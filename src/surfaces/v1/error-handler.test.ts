import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env.js';
import { BODY_LIMIT } from '../../platform/body-limit.js';
import { createLogger } from '../../platform/logger.js';
import { v1ErrorHandler } from './index.js';

describe('the /v1 error handler', () => {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'req-1');
    await next();
  });
  app.get('/status/:code', (c) => {
    throw new HTTPException(Number(c.req.param('code')) as 400, { message: 'the framework’s own words' });
  });
  app.get('/boom', () => {
    throw new Error('secret detail');
  });
  app.onError(v1ErrorHandler(createLogger('silent')));

  const problemAt = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };
  const problem = (status: number, slug: string, title: string, detail: string) => ({
    status,
    type: 'application/problem+json',
    body: { type: `/problems/${slug}`, title, status, detail },
  });

  it('answers a framework 400 as bad-request, not as malformed JSON', async () => {
    expect(await problemAt('/status/400')).toEqual(
      problem(400, 'bad-request', 'Bad request', 'The request could not be read.'),
    );
  });

  it('answers a framework 413 and 415 in their own words', async () => {
    expect(await problemAt('/status/413')).toEqual(
      problem(413, 'body-too-large', 'Body too large', `The body is over ${BODY_LIMIT} bytes.`),
    );
    expect(await problemAt('/status/415')).toEqual(
      problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'),
    );
  });

  it('answers any other framework status, and anything else thrown, with a bare 500 quoting the request id', async () => {
    const internal = problem(
      500,
      'internal-error',
      'Internal server error',
      'Something went wrong; quote request id req-1.',
    );
    expect(await problemAt('/status/401')).toEqual(internal);
    expect(await problemAt('/boom')).toEqual(internal);
  });
});
