import type { Context, MiddlewareHandler } from 'hono';
import {
  createRemoteJWKSet,
  importJWK,
  importSPKI,
  type CryptoKey as JoseKey,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { AppEnv } from '../app-env.js';
import { ADMIN, ANONYMOUS } from '../cart/caller.js';
import { type AppConfig, ConfigError } from '../config.js';
import { memo } from '../lib/memo.js';
import { bearerToken, isAdmin } from './admin-auth.js';
import { problem } from './problem.js';

/**
 * Verifies a customer token: the customer id, `invalid` when the token does
 * not verify, or `unavailable` when the keys cannot be had (the JWKS is down
 * or slow): not the token's fault, so not a 401.
 */
export type Verifier = (token: string) => Promise<{ customerId: string } | 'invalid' | 'unavailable'>;

type KeyGetter = JWTVerifyGetKey;

/** The algorithm a JWK without `alg` is for, from its key type and curve. */
function jwkAlgorithm(jwk: JWK, allowed: string[]): string | undefined {
  if (jwk.alg !== undefined) return jwk.alg;
  if (jwk.kty === 'EC') return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[jwk.crv ?? ''];
  if (jwk.kty === 'OKP') return 'EdDSA';
  if (jwk.kty === 'RSA') return allowed.find((alg) => alg.startsWith('RS') || alg.startsWith('PS'));
  return undefined;
}

/**
 * The key a configured AUTH_PUBLIC_KEY stands for, for the algorithm a
 * token's header names (one of AUTH_ALGORITHMS): a JWK is for its own
 * algorithm; a PEM key is imported under each algorithm a token asks for
 * (an RSA key serves RS256 and PS256 alike). Imports are kept.
 */
function publicKeyGetter(text: string, algorithms: string[]): KeyGetter {
  const trimmed = text.trim();
  const imported = new Map<string, Promise<JoseKey | Uint8Array>>();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as JWK;
    const alg = jwkAlgorithm(jwk, algorithms);
    const key = alg === undefined ? undefined : importJWK(jwk, alg);
    // A key that does not import fails each token that asks for it; until one does, nothing awaits the failure.
    key?.catch(() => undefined);
    return async (header) => {
      if (key === undefined || header.alg !== alg) throw new Error('the token is not signed for the configured key');
      return key;
    };
  }
  return async (header) => {
    let key = imported.get(header.alg);
    if (key === undefined) {
      key = importSPKI(trimmed, header.alg);
      imported.set(header.alg, key);
    }
    return key;
  };
}

/**
 * Imports AUTH_PUBLIC_KEY once at start, so a key that is well-formed but no
 * key (or not one of AUTH_ALGORITHMS) stops the server with one clear line.
 */
export async function checkCustomerKey(config: AppConfig): Promise<void> {
  if (config.AUTH_PUBLIC_KEY === undefined) return;
  const text = config.AUTH_PUBLIC_KEY.trim();
  const tries = text.startsWith('{')
    ? [jwkAlgorithm(JSON.parse(text) as JWK, config.AUTH_ALGORITHMS)].filter((alg) => alg !== undefined)
    : config.AUTH_ALGORITHMS;
  for (const alg of tries) {
    if (!config.AUTH_ALGORITHMS.includes(alg)) continue;
    try {
      await (text.startsWith('{') ? importJWK(JSON.parse(text) as JWK, alg) : importSPKI(text, alg));
      return;
    } catch {
      // Not a key of this algorithm: try the next.
    }
  }
  throw new ConfigError([`AUTH_PUBLIC_KEY: expected a public key for one of ${config.AUTH_ALGORITHMS.join(', ')}`]);
}

/** One remote JWKS per URL and settings, per process (Node) or isolate (Workers): its cache outlives requests. */
const remoteSets = memo<string, KeyGetter>();

/** jose's errors that say the keys could not be had, not that the token is bad. */
const UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

/** Lone UTF-16 surrogates: a `sub` with one would not survive storage unchanged. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The customer-token verifier the configuration asks for (jose: it runs on
 * Workers and Node alike), or undefined when none is configured. Tokens are
 * checked for their signature under AUTH_ALGORITHMS only (`alg: none` never
 * verifies), a required `exp` and any `nbf` with AUTH_CLOCK_SKEW_SECONDS of
 * slack, `iss` and `aud` when set, and a non-empty, well-formed `sub`: the
 * customer id.
 *
 * @example
 * const verify = customerVerifier(config);
 * const result = await verify?.(token);
 */
export function customerVerifier(config: AppConfig): Verifier | undefined {
  const { AUTH_JWKS_URL, AUTH_PUBLIC_KEY, AUTH_ALGORITHMS, AUTH_ISSUER, AUTH_AUDIENCE } = config;
  let key: KeyGetter;
  if (AUTH_JWKS_URL !== undefined) {
    const id = `${AUTH_JWKS_URL}|${config.AUTH_JWKS_COOLDOWN_SECONDS}`;
    key = remoteSets(id, () =>
      createRemoteJWKSet(new URL(AUTH_JWKS_URL), {
        cooldownDuration: config.AUTH_JWKS_COOLDOWN_SECONDS * 1000,
        cacheMaxAge: 10 * 60 * 1000,
        timeoutDuration: 3000,
      }),
    );
  } else if (AUTH_PUBLIC_KEY !== undefined) {
    key = publicKeyGetter(AUTH_PUBLIC_KEY, AUTH_ALGORITHMS);
  } else {
    return undefined;
  }
  const options = {
    algorithms: AUTH_ALGORITHMS,
    clockTolerance: config.AUTH_CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp', 'sub'],
    ...(AUTH_ISSUER === undefined ? {} : { issuer: AUTH_ISSUER }),
    ...(AUTH_AUDIENCE === undefined ? {} : { audience: AUTH_AUDIENCE }),
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, options);
      const sub = payload.sub;
      return typeof sub === 'string' && sub !== '' && !LONE_SURROGATE.test(sub) ? { customerId: sub } : 'invalid';
    } catch (error) {
      // Expired, wrong issuer or audience, wrong key, unknown kid: not a customer. A JWKS that
      // does not answer (or answers nonsense) says nothing of the token.
      const code = (error as { code?: unknown }).code;
      if (AUTH_JWKS_URL !== undefined && (typeof code !== 'string' || UNAVAILABLE.has(code))) return 'unavailable';
      return 'invalid';
    }
  };
}

const verifiers = memo<AppConfig, Verifier | undefined>('weak');
/** The verifier of a configuration, built once per configuration object. */
export const verifierFor = (config: AppConfig): Verifier | undefined => verifiers(config, customerVerifier);

/** A bearer value with a dot is a JWT (JWS or JWE) and must verify; the admin token has none that could match. */
const JWT = /\./;

const invalidToken = (c: Context) => {
  c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
  return problem(c, 401, 'unauthorized', 'The bearer token is neither the admin token nor a valid customer token.');
};

/**
 * Says who a request speaks for (API.md §8), before anything else reads the
 * request: no bearer → anonymous; the admin token → the admin; a JWT → the
 * customer it names, or 401 when it does not verify (expired, wrong issuer,
 * audience or key, `alg: none`, or no keys configured). Any other bearer
 * value is anonymous here (the admin routes answer it 403 already).
 */
export function identify(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (token === undefined) c.set('caller', ANONYMOUS);
    else if (await isAdmin(c)) c.set('caller', ADMIN);
    else if (JWT.test(token)) {
      const verified = (await verifierFor(c.get('config'))?.(token)) ?? 'invalid';
      if (verified === 'unavailable') {
        c.header('Retry-After', '5');
        return problem(c, 503, 'auth-unavailable', 'Customer tokens cannot be verified just now; try again shortly.');
      }
      if (verified === 'invalid') return invalidToken(c);
      c.set('caller', { customerId: verified.customerId, admin: false });
    } else c.set('caller', ANONYMOUS);
    return next();
  };
}

/**
 * The `/v1/customers/me/*` routes: a customer's token, else 401 (no token,
 * or a bearer value that is neither the admin token nor a valid JWT) or 403
 * (the admin token names no customer).
 */
export const requireCustomer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const caller = c.get('caller');
  if (caller.customerId !== null) return next();
  if (caller.admin) return problem(c, 403, 'forbidden', 'The admin token names no customer; send a customer’s token.');
  if (bearerToken(c) !== undefined) return invalidToken(c);
  c.header('WWW-Authenticate', 'Bearer');
  return problem(c, 401, 'unauthorized', 'Send Authorization: Bearer <customer token>.');
};
