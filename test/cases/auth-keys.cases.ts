import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, importSPKI, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { documentedSend } from './catalog.cases.js';
import type { Fetcher } from './client.js';
import { rsaKey } from './tokens.js';

let serial = 0;
/** A customer id no other test uses (on Workers every app shares one D1). */
const customer = (name: string) => `${name}-${Date.now().toString(36)}-${serial++}`;

const NO_CART = 'The customer has no open cart.';
const NOT_VERIFIED = 'The bearer token is neither the admin token nor a valid customer token.';

/** A token signed with `alg` by `key`, for `sub`, valid for 10 minutes; `claims` are added as they are. */
export const signed = (alg: string, key: CryptoKey, sub: string | null, claims: Record<string, unknown> = {}) => {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime('10 minutes');
  return (sub === null ? jwt : jwt.setSubject(sub)).sign(key);
};

/** A key pair made for `alg`: its public key as a JWK without `alg` (and as PEM), and tokens it signs. */
export async function keyFor(alg: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return {
    jwk: await exportJWK(publicKey),
    pem: await exportSPKI(publicKey),
    token: (sub: string, claims: Record<string, unknown> = {}) => signed(alg, privateKey, sub, claims),
  };
}

/** An RSA key (see rsaKey) with its public key as a JWK without `alg` too. */
async function rsaJwk() {
  const key = await rsaKey();
  return { ...key, jwk: await exportJWK(await importSPKI(key.pem, 'RS256', { extractable: true })) };
}

/**
 * What the service made of a customer token on `GET /v1/customers/me/cart`:
 * `taken` (the customer's, who has no cart: 404), `refused` (401
 * `unauthorized` with `invalid_token`), or the unexpected answer itself.
 */
export async function verdict(fetcher: Fetcher, jwt: string) {
  const reply = await documentedSend(fetcher, 'GET', '/v1/customers/me/cart', undefined, {
    authorization: `Bearer ${jwt}`,
  });
  if (reply.status === 404 && reply.json?.detail === NO_CART) return 'taken';
  if (
    reply.status === 401 &&
    reply.headers.get('www-authenticate') === 'Bearer error="invalid_token"' &&
    reply.json?.type === '/problems/unauthorized' &&
    reply.json?.detail === NOT_VERIFIED
  )
    return 'refused';
  return `${reply.status} ${reply.text}`;
}

/**
 * The key in AUTH_PUBLIC_KEY and what it verifies (API.md §8, README
 * "Customers and sign-in"), and the 401/403 answers of the `me` routes.
 * `appWith` builds an app with the given settings (and PRICES=client).
 */
export function authKeyCases(appWith: (env: Record<string, string>) => Promise<Fetcher>) {
  describe('AUTH_PUBLIC_KEY as a JWK without `alg`', () => {
    const all = { AUTH_ALGORITHMS: 'RS256,ES256,ES384,ES512,EdDSA' };

    for (const [kind, alg] of [
      ['EC P-384', 'ES384'],
      ['EC P-521', 'ES512'],
      ['OKP Ed25519', 'EdDSA'],
    ] as const) {
      it(`takes an ${kind} key for ${alg}: its tokens verify, another key's do not`, async () => {
        const key = await keyFor(alg);
        const other = await keyFor(alg);
        expect(key.jwk.alg).toBeUndefined();
        const fetcher = await appWith({ ...all, AUTH_PUBLIC_KEY: JSON.stringify(key.jwk) });
        expect(await verdict(fetcher, await key.token(customer(alg)))).toBe('taken');
        expect(await verdict(fetcher, await other.token(customer(alg)))).toBe('refused');
      });
    }

    it('takes an RSA key for the first RS or PS algorithm AUTH_ALGORITHMS lists, and for that one only', async () => {
      const key = await rsaJwk();
      expect(key.jwk.alg).toBeUndefined();
      const withKey = (algorithms: string) =>
        appWith({ AUTH_PUBLIC_KEY: JSON.stringify(key.jwk), AUTH_ALGORITHMS: algorithms });
      const sub = customer('rsa-jwk');
      // Listed after an algorithm of another key type: still RS256.
      expect(await verdict(await withKey('ES256,RS256'), await key.token('RS256', sub))).toBe('taken');
      // RS256 first: RS256, and not PS256 though it is listed and the key would serve it.
      const rsFirst = await withKey('RS256,PS256');
      expect(await verdict(rsFirst, await key.token('RS256', sub))).toBe('taken');
      expect(await verdict(rsFirst, await key.token('PS256', sub))).toBe('refused');
      // PS256 the only RSA algorithm listed: PS256.
      const psOnly = await withKey('ES256,PS256');
      expect(await verdict(psOnly, await key.token('PS256', sub))).toBe('taken');
      // The default list (RS256, ES256, EdDSA): RS256.
      expect(
        await verdict(await appWith({ AUTH_PUBLIC_KEY: JSON.stringify(key.jwk) }), await key.token('RS256', sub)),
      ).toBe('taken');
    });

    it('takes an RSA key with `alg` for that algorithm only, whatever AUTH_ALGORITHMS lists first', async () => {
      const key = await rsaJwk();
      const fetcher = await appWith({
        AUTH_PUBLIC_KEY: JSON.stringify({ ...key.jwk, alg: 'PS256' }),
        AUTH_ALGORITHMS: 'RS256,PS256',
      });
      const sub = customer('rsa-alg');
      expect(await verdict(fetcher, await key.token('PS256', sub))).toBe('taken');
      expect(await verdict(fetcher, await key.token('RS256', sub))).toBe('refused');
    });

    it('refuses every token (401, not 503) when the key’s algorithm is not in AUTH_ALGORITHMS', async () => {
      const p384 = await keyFor('ES384');
      const p256 = await keyFor('ES256');
      const rsa = await rsaJwk();
      const sub = customer('unlisted');
      // The default list (RS256, ES256, EdDSA) holds no ES384: neither with `alg` nor without.
      for (const jwk of [{ ...p384.jwk, alg: 'ES384' }, p384.jwk]) {
        const fetcher = await appWith({ AUTH_PUBLIC_KEY: JSON.stringify(jwk) });
        expect(await verdict(fetcher, await p384.token(sub))).toBe('refused');
        expect(await verdict(fetcher, await p256.token(sub))).toBe('refused');
      }
      // With ES384 listed the same key verifies: the 401 was the algorithm's.
      const listed = await appWith({ AUTH_PUBLIC_KEY: JSON.stringify(p384.jwk), AUTH_ALGORITHMS: 'ES256,ES384' });
      expect(await verdict(listed, await p384.token(sub))).toBe('taken');
      // An RSA key without `alg` where no RS or PS algorithm is listed.
      const noRsa = await appWith({ AUTH_PUBLIC_KEY: JSON.stringify(rsa.jwk), AUTH_ALGORITHMS: 'ES256,EdDSA' });
      expect(await verdict(noRsa, await rsa.token('RS256', sub))).toBe('refused');
      expect(await verdict(noRsa, await p256.token(sub))).toBe('refused');
    });
  });

  describe('AUTH_PUBLIC_KEY', () => {
    // Node's start (checkCustomerKey) refuses such a key; an app built without that check, and a Worker, must
    // still answer 401 to every token, and leave no failed import unhandled (Node ends on an unhandled rejection).
    it('refuses every token, and leaves nothing unhandled, when a JWK does not import under its own alg', async () => {
      const rsa = await rsaJwk();
      const fetcher = await appWith({
        AUTH_PUBLIC_KEY: JSON.stringify({ ...rsa.jwk, alg: 'ES256' }),
        AUTH_ALGORITHMS: 'ES256,RS256',
      });
      const sub = customer('misfit');
      expect(await verdict(fetcher, await rsa.token('RS256', sub))).toBe('refused');
      // Let a rejection nobody awaits surface before the test ends.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await verdict(fetcher, await (await keyFor('ES256')).token(sub))).toBe('refused');
    });

    it('takes a JWK or a PEM key with blank lines and spaces around it', async () => {
      const key = await keyFor('ES256');
      const sub = customer('padded');
      for (const text of [`\n  ${JSON.stringify(key.jwk)}\n`, `\n\n${key.pem}\n  `]) {
        const fetcher = await appWith({ AUTH_PUBLIC_KEY: text });
        expect(await verdict(fetcher, await key.token(sub)), JSON.stringify(text.slice(0, 12))).toBe('taken');
      }
    });

    it('refuses (401, not 503) a token of a listed algorithm the PEM key does not fit, and takes one it fits', async () => {
      const rsa = await rsaKey();
      const ec = await keyFor('ES256');
      const fetcher = await appWith({ AUTH_PUBLIC_KEY: rsa.pem });
      const sub = customer('misfit');
      // ES256 is in the default list, but an RSA key is no ES256 key; asked twice (the import is kept).
      expect(await verdict(fetcher, await ec.token(sub))).toBe('refused');
      expect(await verdict(fetcher, await ec.token(sub))).toBe('refused');
      expect(await verdict(fetcher, await rsa.token('RS256', sub))).toBe('taken');
      expect(await verdict(fetcher, await rsa.token('RS256', sub))).toBe('taken');
    });

    it('takes any `iss` and `aud`, or none, while AUTH_ISSUER and AUTH_AUDIENCE are unset; checks each once set', async () => {
      const key = await keyFor('ES256');
      const sub = customer('anyone');
      const open = await appWith({ AUTH_PUBLIC_KEY: key.pem });
      for (const claims of [
        {},
        { iss: 'https://one.example', aud: 'one' },
        { iss: 'https://two.example', aud: ['x', 'y'] },
      ])
        expect(await verdict(open, await key.token(sub, claims)), JSON.stringify(claims)).toBe('taken');
      const issuer = await appWith({ AUTH_PUBLIC_KEY: key.pem, AUTH_ISSUER: 'https://one.example' });
      expect(await verdict(issuer, await key.token(sub, { iss: 'https://one.example', aud: 'any' }))).toBe('taken');
      expect(await verdict(issuer, await key.token(sub, { aud: 'any' }))).toBe('refused');
      expect(await verdict(issuer, await key.token(sub, { iss: 'https://two.example' }))).toBe('refused');
      const audience = await appWith({ AUTH_PUBLIC_KEY: key.pem, AUTH_AUDIENCE: 'one' });
      expect(await verdict(audience, await key.token(sub, { iss: 'https://any.example', aud: 'one' }))).toBe('taken');
      expect(await verdict(audience, await key.token(sub, { iss: 'https://any.example' }))).toBe('refused');
      expect(await verdict(audience, await key.token(sub, { aud: 'two' }))).toBe('refused');
    });

    it('refuses a token whose `sub` is not a string (401)', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const fetcher = await appWith({ AUTH_PUBLIC_KEY: await exportSPKI(publicKey) });
      for (const sub of [42, true, ['a'], { id: 'a' }]) {
        const jwt = await signed('ES256', privateKey, null, { sub });
        expect(await verdict(fetcher, jwt), JSON.stringify(sub)).toBe('refused');
      }
      expect(await verdict(fetcher, await signed('ES256', privateKey, customer('string')))).toBe('taken');
    });

    it('refuses every JWT (401) when no key is configured; a request without one stays anonymous', async () => {
      const key = await keyFor('ES256');
      const fetcher = await appWith({});
      const jwt = await key.token(customer('nokeys'));
      expect(await verdict(fetcher, jwt)).toBe('refused');
      const made = await documentedSend(
        fetcher,
        'POST',
        '/v1/carts',
        { currency: 'USD' },
        { authorization: `Bearer ${jwt}` },
      );
      expect([made.status, made.json.type]).toEqual([401, '/problems/unauthorized']);
      const anonymous = await documentedSend(fetcher, 'POST', '/v1/carts', { currency: 'USD' });
      expect([anonymous.status, anonymous.json.customer_id]).toEqual([201, null]);
    });
  });

  describe('the 401 and 403 answers of /v1/customers/me', () => {
    it('answers no bearer, a bearer that is no JWT, a JWT that does not verify, and the admin token each in its own words', async () => {
      const admin = 'auth-keys-admin-token-0123456789';
      const key = await keyFor('ES256');
      const stranger = await keyFor('ES256');
      const fetcher = await appWith({ ADMIN_TOKEN: admin, AUTH_PUBLIC_KEY: key.pem });
      const problem = (status: number, type: string, title: string, detail: string) => ({
        status,
        json: { type: `/problems/${type}`, title, status, detail },
      });
      const cases: Array<[string, Record<string, string>, string | null, ReturnType<typeof problem>]> = [
        [
          'no bearer',
          {},
          'Bearer',
          problem(401, 'unauthorized', 'Unauthorized', 'Send Authorization: Bearer <customer token>.'),
        ],
        [
          'a bearer that is no JWT',
          { authorization: 'Bearer not-a-jwt' },
          'Bearer error="invalid_token"',
          problem(401, 'unauthorized', 'Unauthorized', NOT_VERIFIED),
        ],
        [
          'a JWT of another key',
          { authorization: `Bearer ${await stranger.token(customer('stranger'))}` },
          'Bearer error="invalid_token"',
          problem(401, 'unauthorized', 'Unauthorized', NOT_VERIFIED),
        ],
        [
          'the admin token',
          { authorization: `Bearer ${admin}` },
          null,
          problem(403, 'forbidden', 'Forbidden', 'The admin token names no customer; send a customer’s token.'),
        ],
      ];
      for (const [why, headers, challenge, expected] of cases) {
        for (const [method, path, body] of [
          ['GET', '/v1/customers/me/cart', undefined],
          ['GET', '/v1/customers/me/orders', undefined],
          ['POST', '/v1/customers/me/cart/merge', { cart_id: 'crt_AAAAAAAAAAAAAAAAAAAAAA', mode: 'sum' }],
        ] as const) {
          const reply = await documentedSend(fetcher, method, path, body, headers);
          expect({ status: reply.status, json: reply.json }, `${why}: ${method} ${path}`).toEqual(expected);
          expect(reply.headers.get('content-type'), why).toBe('application/problem+json');
          expect(reply.headers.get('www-authenticate'), `${why}: ${method} ${path}`).toBe(challenge);
        }
      }
      // Off the me routes a bearer that is no JWT is anonymous; a JWT that does not verify is not.
      const anonymous = await documentedSend(
        fetcher,
        'POST',
        '/v1/carts',
        { currency: 'USD' },
        { authorization: 'Bearer not-a-jwt' },
      );
      expect([anonymous.status, anonymous.json.customer_id]).toEqual([201, null]);
      expect(await verdict(fetcher, await key.token(customer('owner')))).toBe('taken');
    });
  });
}
