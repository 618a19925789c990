import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { checkCustomerKey } from './customer-auth.js';

/** A public key made for `alg`, as PEM and as a JWK without `alg`. */
async function publicKey(alg: string) {
  const { publicKey } = await generateKeyPair(alg, { extractable: true });
  return { pem: await exportSPKI(publicKey), jwk: await exportJWK(publicKey) };
}

const check = (settings: Record<string, string>) => checkCustomerKey(loadConfig(settings));

/** The one line a key that imports under none of `algorithms` stops the Node server with. */
const refusal = (algorithms: string) =>
  new ConfigError([`AUTH_PUBLIC_KEY: expected a public key for one of ${algorithms}`]);

async function problemsOf(settings: Record<string, string>) {
  try {
    await check(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { message: (error as ConfigError).message, problems: (error as ConfigError).problems };
  }
  return 'passed';
}

describe('checkCustomerKey (the Node server’s start-up check of AUTH_PUBLIC_KEY)', () => {
  it('passes when no AUTH_PUBLIC_KEY is set, with or without a JWKS', async () => {
    await expect(check({})).resolves.toBeUndefined();
    await expect(check({ AUTH_JWKS_URL: 'https://id.example/jwks.json' })).resolves.toBeUndefined();
  });

  it('passes a PEM key of a listed algorithm, and a JWK with or without `alg`, blank lines around them or not', async () => {
    const [rsa, ec, ed, p384] = [
      await publicKey('RS256'),
      await publicKey('ES256'),
      await publicKey('EdDSA'),
      await publicKey('ES384'),
    ];
    const good: Array<[string, Record<string, string>]> = [
      ['RSA PEM', { AUTH_PUBLIC_KEY: rsa.pem }],
      ['EC P-256 PEM', { AUTH_PUBLIC_KEY: ec.pem }],
      ['Ed25519 PEM', { AUTH_PUBLIC_KEY: ed.pem }],
      ['EC P-384 PEM with ES384 listed', { AUTH_PUBLIC_KEY: p384.pem, AUTH_ALGORITHMS: 'RS256,ES384' }],
      ['PEM with blank lines around', { AUTH_PUBLIC_KEY: `\n\n  ${ec.pem}\n  ` }],
      ['JWK with alg', { AUTH_PUBLIC_KEY: JSON.stringify({ ...ec.jwk, alg: 'ES256' }) }],
      ['EC JWK without alg', { AUTH_PUBLIC_KEY: JSON.stringify(ec.jwk) }],
      ['OKP JWK without alg', { AUTH_PUBLIC_KEY: JSON.stringify(ed.jwk) }],
      ['RSA JWK without alg', { AUTH_PUBLIC_KEY: JSON.stringify(rsa.jwk) }],
      [
        'RSA JWK without alg, PS256 listed',
        { AUTH_PUBLIC_KEY: JSON.stringify(rsa.jwk), AUTH_ALGORITHMS: 'ES256,PS256' },
      ],
      ['P-384 JWK without alg, ES384 listed', { AUTH_PUBLIC_KEY: JSON.stringify(p384.jwk), AUTH_ALGORITHMS: 'ES384' }],
      ['JWK with blank lines around', { AUTH_PUBLIC_KEY: `\n  ${JSON.stringify(ec.jwk)}\n` }],
    ];
    for (const [why, settings] of good) expect(await problemsOf(settings), why).toBe('passed');
  });

  it('stops the start with one ConfigError naming AUTH_PUBLIC_KEY and the listed algorithms when the key imports under none of them', async () => {
    const [rsa, p384] = [await publicKey('RS256'), await publicKey('ES384')];
    const bad: Array<[string, Record<string, string>, string]> = [
      ['EC P-384 PEM, ES384 not listed', { AUTH_PUBLIC_KEY: p384.pem }, 'RS256, ES256, EdDSA'],
      [
        'RSA PEM, no RSA algorithm listed',
        { AUTH_PUBLIC_KEY: rsa.pem, AUTH_ALGORITHMS: 'ES256,EdDSA' },
        'ES256, EdDSA',
      ],
      [
        'a PEM that is no key',
        { AUTH_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' },
        'RS256, ES256, EdDSA',
      ],
      [
        'JWK with alg ES384, not listed',
        { AUTH_PUBLIC_KEY: JSON.stringify({ ...p384.jwk, alg: 'ES384' }) },
        'RS256, ES256, EdDSA',
      ],
      ['P-384 JWK without alg, ES384 not listed', { AUTH_PUBLIC_KEY: JSON.stringify(p384.jwk) }, 'RS256, ES256, EdDSA'],
      [
        'RSA JWK without alg, no RS or PS listed',
        { AUTH_PUBLIC_KEY: JSON.stringify(rsa.jwk), AUTH_ALGORITHMS: 'ES256,EdDSA' },
        'ES256, EdDSA',
      ],
      [
        'RSA JWK whose alg is for another key type',
        { AUTH_PUBLIC_KEY: JSON.stringify({ ...rsa.jwk, alg: 'ES256' }) },
        'RS256, ES256, EdDSA',
      ],
      [
        'EC JWK of a curve no algorithm is for',
        { AUTH_PUBLIC_KEY: JSON.stringify({ ...p384.jwk, crv: 'secp256k1' }), AUTH_ALGORITHMS: 'ES256,ES384,ES512' },
        'ES256, ES384, ES512',
      ],
      [
        'EC JWK without a curve',
        { AUTH_PUBLIC_KEY: JSON.stringify({ kty: 'EC', x: p384.jwk.x, y: p384.jwk.y }) },
        'RS256, ES256, EdDSA',
      ],
      ['JWK of a key type no algorithm is for', { AUTH_PUBLIC_KEY: '{"kty":"XYZ","k":"AAAA"}' }, 'RS256, ES256, EdDSA'],
      [
        'EC JWK whose point is not on its curve',
        { AUTH_PUBLIC_KEY: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }) },
        'RS256, ES256, EdDSA',
      ],
    ];
    for (const [why, settings, algorithms] of bad) {
      const expected = refusal(algorithms);
      expect(await problemsOf(settings), why).toEqual({ message: expected.message, problems: expected.problems });
    }
  });
});
