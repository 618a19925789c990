import {
  type CryptoKey,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type JWK,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
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

/**
 * An RSA key pair made for RS256, its public key as PEM (an AUTH_PUBLIC_KEY),
 * and `token(alg, sub)`: a valid token signed by its private key under any RSA
 * algorithm (the key is imported again for PS256: WebCrypto binds a key to one).
 */
export async function rsaKey() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const pkcs8 = await exportPKCS8(privateKey);
  const signers = new Map<string, Promise<CryptoKey>>([['RS256', Promise.resolve(privateKey)]]);
  return {
    pem: await exportSPKI(publicKey),
    token: async (alg: 'RS256' | 'PS256' | 'RS384' | 'PS384', sub: string) => {
      let signer = signers.get(alg);
      if (signer === undefined) {
        signer = importPKCS8(pkcs8, alg);
        signers.set(alg, signer);
      }
      return new SignJWT({})
        .setProtectedHeader({ alg })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10 minutes')
        .sign(await signer);
    },
  };
}
