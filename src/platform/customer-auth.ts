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
import { type AppConfig, ConfigError } from '../config.js';
import { bearerToken, isAdmin } from './admin-auth.js';
import { problem } from './problem.js';

/** Who a request speaks for (API.md §8): a customer (`sub` of a verified token), the admin, or nobody in particular. */
export interface Caller {
  customerId: string | null;
  admin: boolean;
}

export const ANONYMOUS: Caller = { customerId: null, admin: false };
export const ADMIN: Caller = { customerId: null, admin: true };

/** Verifies a customer token; the customer id, or undefined when the token does not verify. */
export type Verifier = (token: string) => Promise<string | undefined>;

type KeySource = JWTVerifyGetKey | JoseKey | Uint8Array;

/** The key a configured AUTH_PUBLIC_KEY stands for: a JWK, or PEM under the first listed algorithm that takes it. */
async function importPublicKey(text: string, algorithms: string[]): Promise<KeySource> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as JWK;
    return importJWK(jwk, jwk.alg ?? algorithms[0]) as Promise<KeySource>;
  }
  for (const alg of algorithms) {
    try {
      return await importSPKI(trimmed, alg);
    } catch {
      // Not a key of this algorithm: try the next.
    }
  }
  throw new Error(`AUTH_PUBLIC_KEY is not a public key for any of ${algorithms.join(', ')}`);
}

/**
 * Imports AUTH_PUBLIC_KEY once at start, so a key that is well-formed but no
 * key (or not one of AUTH_ALGORITHMS) stops the server with one clear line.
 */
export async function checkCustomerKey(config: AppConfig): Promise<void> {
  if (config.AUTH_PUBLIC_KEY === undefined) return;
  try {
    await importPublicKey(config.AUTH_PUBLIC_KEY, config.AUTH_ALGORITHMS);
  } catch {
    throw new ConfigError([`AUTH_PUBLIC_KEY: expected a public key for one of ${config.AUTH_ALGORITHMS.join(', ')}`]);
  }
}

/** One remote JWKS per URL and settings, per process (Node) or isolate (Workers): its cache outlives requests. */
const remoteSets = new Map<string, JWTVerifyGetKey>();

/**
 * The customer-token verifier the configuration asks for (jose: it runs on
 * Workers and Node alike), or undefined when none is configured. Tokens are
 * checked for their signature under AUTH_ALGORITHMS only (`alg: none` never
 * verifies), `exp`/`nbf` with AUTH_CLOCK_SKEW_SECONDS of slack, `iss` and
 * `aud` when set, and a non-empty `sub`: the customer id.
 *
 * @example
 * const verify = customerVerifier(config);
 * const customerId = await verify?.(token);
 */
export function customerVerifier(config: AppConfig): Verifier | undefined {
  const { AUTH_JWKS_URL, AUTH_PUBLIC_KEY, AUTH_ALGORITHMS, AUTH_ISSUER, AUTH_AUDIENCE } = config;
  let key: Promise<KeySource> | KeySource;
  if (AUTH_JWKS_URL !== undefined) {
    const id = `${AUTH_JWKS_URL}|${config.AUTH_JWKS_COOLDOWN_SECONDS}`;
    let set = remoteSets.get(id);
    if (set === undefined) {
      set = createRemoteJWKSet(new URL(AUTH_JWKS_URL), {
        cooldownDuration: config.AUTH_JWKS_COOLDOWN_SECONDS * 1000,
        cacheMaxAge: 10 * 60 * 1000,
        timeoutDuration: 5000,
      });
      remoteSets.set(id, set);
    }
    key = set;
  } else if (AUTH_PUBLIC_KEY !== undefined) {
    key = importPublicKey(AUTH_PUBLIC_KEY, AUTH_ALGORITHMS);
  } else {
    return undefined;
  }
  return async (token) => {
    try {
      const resolved = await key;
      const options = {
        algorithms: AUTH_ALGORITHMS,
        clockTolerance: config.AUTH_CLOCK_SKEW_SECONDS,
        ...(AUTH_ISSUER === undefined ? {} : { issuer: AUTH_ISSUER }),
        ...(AUTH_AUDIENCE === undefined ? {} : { audience: AUTH_AUDIENCE }),
      };
      const { payload } =
        typeof resolved === 'function'
          ? await jwtVerify(token, resolved, options)
          : await jwtVerify(token, resolved, options);
      return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    } catch {
      // Expired, wrong issuer or audience, wrong key, unknown kid, an unreachable JWKS: not a customer.
      return undefined;
    }
  };
}

const verifiers = new WeakMap<AppConfig, Verifier | undefined>();
/** The verifier of a configuration, built once per configuration object. */
export function verifierFor(config: AppConfig): Verifier | undefined {
  if (!verifiers.has(config)) verifiers.set(config, customerVerifier(config));
  return verifiers.get(config);
}

/** A compact JWS: three base64url parts. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

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
      const customerId = await verifierFor(c.get('config'))?.(token);
      if (customerId === undefined) return invalidToken(c);
      c.set('caller', { customerId, admin: false });
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
