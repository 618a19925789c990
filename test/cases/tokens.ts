import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import type { TokenMaker } from './customers.cases.js';

export const ISSUER = 'https://id.edgecart.test';
export const AUDIENCE = 'edgecart-tests';

/** An ES256 key pair made for the test, with its public JWK under `kid`. */
export async function testKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, publicKey, privateKey, jwk };
}

type Key = Awaited<ReturnType<typeof testKey>>;

/** Tokens signed by `current()` (the key the service trusts now); `wrongKey` signs with a key it never saw. */
export function tokenMaker(current: () => Key, stranger: Key): TokenMaker {
  const sign = (
    key: CryptoKey,
    kid: string,
    sub: string,
    claims: Record<string, unknown>,
    expiresIn: string | null,
  ) => {
    const jwt = new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(sub)
      .setIssuer((claims.iss as string | undefined) ?? ISSUER)
      .setAudience((claims.aud as string | undefined) ?? AUDIENCE)
      .setIssuedAt();
    return (expiresIn === null ? jwt : jwt.setExpirationTime(expiresIn)).sign(key);
  };
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    token: (sub, claims = {}, options = {}) => {
      const key = options.wrongKey ? { ...stranger, kid: current().kid } : current();
      return sign(key.privateKey, key.kid, sub, claims, options.noExpiry ? null : (options.expiresIn ?? '10 minutes'));
    },
    unsigned: (sub) =>
      new UnsecuredJWT({})
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('10 minutes')
        .encode(),
  };
}
