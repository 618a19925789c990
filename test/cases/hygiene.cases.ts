import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

/** Secure headers on every response. */
export function secureHeaderCases(fetcher: Fetcher) {
  describe('secure headers', () => {
    it.each(['/healthz', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', '/api/cart-items/'])(
      'sets them on %s',
      async (path) => {
        const reply = await send(fetcher, 'GET', path);
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
        expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(reply.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
      },
    );

    it('answers OPTIONS on a /v1 route 204 with Allow and X-Bookmark, as every other /v1 answer', async () => {
      const reply = await send(fetcher, 'OPTIONS', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items');
      expect(reply.status).toBe(204);
      expect(reply.headers.get('allow')).toBe('POST, DELETE, OPTIONS');
      expect(reply.headers.get('x-bookmark')).toMatch(/^[0-9a-f]{8}-/);
      expect(reply.headers.get('x-request-id')).not.toBeNull();
      const classic = await send(fetcher, 'OPTIONS', '/api/cart-items/');
      expect(classic.status).toBe(204);
      expect(classic.headers.get('allow')).toContain('POST');
      expect(classic.headers.get('x-bookmark')).toMatch(/^[0-9a-f]{8}-/);
    });

    it('sends no CORS headers while CORS_ORIGINS is empty', async () => {
      const reply = await send(fetcher, 'GET', '/healthz', undefined, { origin: 'https://shop.example' });
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}

/** CORS, for an app whose CORS_ORIGINS is `https://shop.example` (and which has an ADMIN_TOKEN). */
export function corsCases(fetcher: Fetcher) {
  describe('CORS', () => {
    it('answers a preflight from an allowed origin with the methods and headers a cart client needs', async () => {
      const res = await fetcher('/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, idempotency-key, if-match, x-bookmark',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const header of ['content-type', 'idempotency-key', 'if-match', 'x-bookmark'])
        expect(allowed).toContain(header);
    });

    it('keeps Allow, X-Bookmark and the secure headers on OPTIONS, preflight or not', async () => {
      for (const headers of [
        { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
        { origin: 'https://shop.example' },
        {},
      ] as Record<string, string>[]) {
        const reply = await send(fetcher, 'OPTIONS', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items', undefined, headers);
        expect(reply.status).toBe(204);
        expect(reply.headers.get('allow')).toBe('POST, DELETE, OPTIONS');
        expect(reply.headers.get('x-bookmark')).toMatch(/^[0-9a-f]{8}-/);
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
        if (headers.origin) expect(reply.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      }
    });

    it('answers a preflight to a guarded route 204 too: a preflight carries no credentials', async () => {
      for (const path of ['/v1/customers/me/cart', '/v1/admin/carts', '/v1/carts/default/items', '/api/cart-items/']) {
        const reply = await send(fetcher, 'OPTIONS', path, undefined, {
          origin: 'https://shop.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        });
        expect(reply.status, path).toBe(204);
        expect(reply.headers.get('access-control-allow-origin'), path).toBe('https://shop.example');
        expect((reply.headers.get('access-control-allow-headers') ?? '').toLowerCase(), path).toContain(
          'authorization',
        );
        expect(reply.headers.get('allow'), path).toContain('OPTIONS');
      }
      // The guards still hold for the requests themselves.
      expect(
        (await send(fetcher, 'GET', '/v1/customers/me/cart', undefined, { origin: 'https://shop.example' })).status,
      ).toBe(401);
    });

    it('exposes ETag, Location and X-Bookmark to an allowed origin', async () => {
      const reply = await send(fetcher, 'POST', '/v1/carts', {}, { origin: 'https://shop.example' });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const exposed = (reply.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      expect(exposed).toContain('etag');
      expect(exposed).toContain('location');
      expect(exposed).toContain('x-bookmark');
    });

    it('grants nothing to another origin', async () => {
      const reply = await send(fetcher, 'GET', '/healthz', undefined, { origin: 'https://evil.example' });
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    });

    // Origins one step outside the allowed one: a longer host, a prefix, another scheme or port, a trailing slash.
    it.each([
      'https://shop.example.evil',
      'https://evilshop.example',
      'http://shop.example',
      'https://shop.example:8443',
      'https://shop.example/',
      'https://shop.exampl',
    ])('grants nothing to %s, a near miss of the allowed origin, on a preflight or a request', async (origin) => {
      const reply = await send(fetcher, 'POST', '/v1/carts', {}, { origin });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await send(fetcher, 'OPTIONS', '/v1/carts', undefined, {
        origin,
        'access-control-request-method': 'POST',
      });
      // Without Access-Control-Allow-Origin the browser grants nothing, whatever else the preflight lists.
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}
