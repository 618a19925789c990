import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { algorithmCases, customerCases } from '../cases/customers.cases.js';
import { AUDIENCE, ISSUER, testKey, tokenMaker } from '../cases/tokens.js';
import { nodeApp } from './app.js';

// Keys made here; the service finds them in a JWKS this test serves over HTTP.
const first = await testKey('k1');
const second = await testKey('k2');
const stranger = await testKey('k1');
let served = [first];
const jwks = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ keys: served.map((key) => key.jwk) }));
});
await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));
const address = jwks.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;

const token = 'node-customers-admin-token-0';
const { fetcher } = await nodeApp({
  ADMIN_TOKEN: token,
  AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
  AUTH_JWKS_COOLDOWN_SECONDS: '0',
});
let current = first;
const keys = tokenMaker(() => current, stranger);
customerCases(fetcher, token, keys);

describe('JWKS key rotation', () => {
  it('takes a token signed with a key the JWKS gained since, and refuses one whose key it dropped', async () => {
    const me = async (jwt: string) =>
      (await fetcher('/v1/customers/me/cart', { headers: { authorization: `Bearer ${jwt}` } })).status;
    expect(await me(await keys.token('rotating'))).toBe(404);
    served = [second];
    current = second;
    expect(await me(await keys.token('rotating'))).toBe(404);
    current = first;
    expect(await me(await keys.token('rotating'))).toBe(401);
    current = first;
    served = [first];
  });
});

describe('keys the service cannot fetch, and keys given as a JWK', () => {
  it('answers 503 auth-unavailable (not 401) while the JWKS fails, and takes an EC JWK without `alg`', async () => {
    const failing = createServer((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const at = failing.address();
    const down = await nodeApp({
      AUTH_JWKS_URL: `http://127.0.0.1:${typeof at === 'object' && at !== null ? at.port : 0}/jwks`,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
    });
    const jwt = await keys.token('someone');
    const reply = await down.fetcher('/v1/customers/me/cart', { headers: { authorization: `Bearer ${jwt}` } });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('5');
    expect(((await reply.json()) as { type: string }).type).toBe('/problems/auth-unavailable');
    await new Promise<void>((resolve) => failing.close(() => resolve()));
    const { alg: _alg, kid: _kid, use: _use, ...bare } = first.jwk;
    const byJwk = await nodeApp({
      AUTH_PUBLIC_KEY: JSON.stringify(bare),
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
    });
    current = first;
    const mine = await byJwk.fetcher('/v1/customers/me/cart', { headers: { authorization: `Bearer ${jwt}` } });
    expect(mine.status).toBe(404);
  });
});

algorithmCases(async (env) => (await nodeApp(env)).fetcher);
