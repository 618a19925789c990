import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

export function healthCases(fetcher: Fetcher) {
  describe('operations', () => {
    it('answers /healthz with 200', async () => {
      const reply = await send(fetcher, 'GET', '/healthz');
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ status: 'ok' });
    });

    it('answers /readyz with 200 when the store answers', async () => {
      const reply = await send(fetcher, 'GET', '/readyz');
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ status: 'ok' });
    });

    it('puts an X-Request-Id on every response, keeping a sane one from the request', async () => {
      const generated = await send(fetcher, 'GET', '/healthz');
      expect(generated.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
      const kept = await send(fetcher, 'GET', '/healthz', undefined, { 'x-request-id': 'req-123' });
      expect(kept.headers.get('x-request-id')).toBe('req-123');
      const replaced = await send(fetcher, 'GET', '/healthz', undefined, { 'x-request-id': 'bad id<script>' });
      expect(replaced.headers.get('x-request-id')).not.toBe('bad id<script>');
    });
  });
}

/** /readyz over a store that cannot answer: `fetcher` reaches an app whose store fails every query. */
export function notReadyCases(fetcher: Fetcher) {
  it('answers /readyz with 503 while the store does not answer, and /healthz with 200', async () => {
    const reply = await send(fetcher, 'GET', '/readyz');
    expect(reply.status).toBe(503);
    expect(reply.json).toEqual({ status: 'unavailable' });
    expect((await send(fetcher, 'GET', '/healthz')).status).toBe(200);
  });
}
