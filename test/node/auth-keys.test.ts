import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { authKeyCases, verdict } from '../cases/auth-keys.cases.js';
import { send } from '../cases/client.js';
import { testKey } from '../cases/tokens.js';
import { nodeApp } from './app.js';

authKeyCases(async (env) => (await nodeApp(env)).fetcher);

type Key = Awaited<ReturnType<typeof testKey>>;

/** A JWKS served over HTTP by this test: what it serves, how (or whether) it answers, and how often it was asked. */
async function jwksServer(keys: Key[]) {
  const state = {
    keys,
    answer: 'keys' as 'keys' | 'error' | 'not-a-key-set' | 'not-json' | 'late',
    fetches: 0,
    url: '',
  };
  const server = createServer((_req, res) => {
    state.fetches++;
    res.setHeader('content-type', 'application/json');
    if (state.answer === 'error') res.writeHead(500).end('down');
    else if (state.answer === 'not-a-key-set') res.end(JSON.stringify({ keys: 'none' }));
    else if (state.answer === 'not-json') res.end('<html>maintenance</html>');
    else if (state.answer === 'late') setTimeout(() => res.end(JSON.stringify({ keys: [] })), 3_500);
    else res.end(JSON.stringify({ keys: state.keys.map((key) => key.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}

/** A token of `key`, naming its `kid`. */
const tokenOf = (key: Key, sub: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10 minutes')
    .sign(key.privateKey);

const UNAVAILABLE = {
  type: '/problems/auth-unavailable',
  title: 'Identity provider unavailable',
  status: 503,
  detail: 'Customer tokens cannot be verified just now; try again shortly.',
};

/** Runs `body` with only `Date` faked (timers, sockets and fetch stay real), starting at the real now. */
async function withClock(body: (advance: (ms: number) => void) => Promise<void>) {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  try {
    await body((ms) => vi.setSystemTime(Date.now() + ms));
  } finally {
    vi.useRealTimers();
  }
}

describe('AUTH_JWKS_URL', () => {
  it('answers 503 auth-unavailable with Retry-After (not 401) while the JWKS refuses the connection, is no key set, is not JSON, or is slower than 3 s', async () => {
    const key = await testKey('k1');
    const jwks = await jwksServer([key]);
    // A port nothing listens on: the connection is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cases = [
      ['refused', `http://127.0.0.1:${port}/jwks.json`, 'keys'],
      ['not a key set', jwks.url, 'not-a-key-set'],
      ['not JSON', jwks.url, 'not-json'],
      ['later than 3 s', jwks.url, 'late'],
    ] as const;
    for (const [why, url, answer] of cases) {
      jwks.answer = answer;
      // Silent: each 503 would log an error line.
      const { fetcher } = await nodeApp({ AUTH_JWKS_URL: url, LOG_LEVEL: 'silent' });
      const reply = await send(fetcher, 'GET', '/v1/customers/me/cart', undefined, {
        authorization: `Bearer ${await tokenOf(key, `down-${why}`)}`,
      });
      expect({ status: reply.status, json: reply.json }, why).toEqual({ status: 503, json: UNAVAILABLE });
      expect(reply.headers.get('retry-after'), why).toBe('5');
      expect(reply.headers.get('www-authenticate'), why).toBeNull();
    }
    // Once the JWKS answers, the same kind of token verifies.
    jwks.answer = 'keys';
    const { fetcher } = await nodeApp({ AUTH_JWKS_URL: jwks.url });
    expect(await verdict(fetcher, await tokenOf(key, 'down-then-up'))).toBe('taken');
  }, 20_000);

  it('keeps the keys 10 minutes: tokens verify from them while the JWKS is down, and it is fetched again after', async () => {
    const key = await testKey('k1');
    const jwks = await jwksServer([key]);
    const { fetcher } = await nodeApp({ AUTH_JWKS_URL: jwks.url, LOG_LEVEL: 'silent' });
    await withClock(async (advance) => {
      expect(await verdict(fetcher, await tokenOf(key, 'cached'))).toBe('taken');
      expect(jwks.fetches).toBe(1);
      jwks.answer = 'error';
      advance(10 * 60_000 - 1_000);
      expect(await verdict(fetcher, await tokenOf(key, 'cached'))).toBe('taken');
      expect(jwks.fetches).toBe(1);
      advance(2_000);
      const stale = await send(fetcher, 'GET', '/v1/customers/me/cart', undefined, {
        authorization: `Bearer ${await tokenOf(key, 'cached')}`,
      });
      expect([stale.status, stale.json.type]).toEqual([503, '/problems/auth-unavailable']);
      expect(jwks.fetches).toBe(2);
      jwks.answer = 'keys';
      expect(await verdict(fetcher, await tokenOf(key, 'cached'))).toBe('taken');
      expect(jwks.fetches).toBe(3);
    });
  });

  it('fetches the JWKS again for a `kid` it lacks only once AUTH_JWKS_COOLDOWN_SECONDS have passed since the last fetch', async () => {
    const first = await testKey('k1');
    const second = await testKey('k2');
    const jwks = await jwksServer([first]);
    const { fetcher } = await nodeApp({ AUTH_JWKS_URL: jwks.url, AUTH_JWKS_COOLDOWN_SECONDS: '5' });
    await withClock(async (advance) => {
      expect(await verdict(fetcher, await tokenOf(first, 'rotated'))).toBe('taken');
      expect(jwks.fetches).toBe(1);
      jwks.keys = [first, second];
      advance(1_000);
      expect(await verdict(fetcher, await tokenOf(second, 'rotated'))).toBe('refused');
      advance(3_900);
      expect(await verdict(fetcher, await tokenOf(second, 'rotated'))).toBe('refused');
      expect(jwks.fetches).toBe(1);
      advance(200);
      expect(await verdict(fetcher, await tokenOf(second, 'rotated'))).toBe('taken');
      expect(jwks.fetches).toBe(2);
    });
  });

  it('keeps one JWKS per URL: two apps in one process each take the keys of their own only', async () => {
    const [a, b] = [await testKey('a'), await testKey('b')];
    const [jwksA, jwksB] = [await jwksServer([a]), await jwksServer([b])];
    const appA = (await nodeApp({ AUTH_JWKS_URL: jwksA.url })).fetcher;
    const appB = (await nodeApp({ AUTH_JWKS_URL: jwksB.url })).fetcher;
    expect(await verdict(appA, await tokenOf(a, 'per-url'))).toBe('taken');
    expect(await verdict(appB, await tokenOf(b, 'per-url'))).toBe('taken');
    expect(await verdict(appA, await tokenOf(b, 'per-url'))).toBe('refused');
    expect(await verdict(appB, await tokenOf(a, 'per-url'))).toBe('refused');
    expect([jwksA.fetches, jwksB.fetches]).toEqual([1, 1]);
  });
});
