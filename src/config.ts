import { z } from 'zod';

const wholeNumber = (min: number, max: number) => {
  const form = `a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: form }).int(form).min(min, form).max(max, form);
};

// An empty variable counts as unset, as shells and compose files often leave them.
const setting = <T extends z.ZodType>(schema: T, description: string) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema).describe(description);

/** The bytes of a `whsec_<base64>` secret; 0 when it is not one. */
function secretBytes(value: string): number {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value)) return 0;
  try {
    return atob(value.slice('whsec_'.length)).length;
  } catch {
    return 0;
  }
}

/** The JWS algorithms a customer token may be signed with (asymmetric only: the service holds no signing secret). */
const JWS_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

/** A PEM public key, or a JSON object with a `kty` (a JWK); the key itself is imported at first use. */
function publicKeyForm(value: string): boolean {
  const text = value.trim();
  if (/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(text)) return true;
  try {
    const jwk: unknown = JSON.parse(text);
    // A public key only: no private part (`d`), and no shared secret (`oct`: HMAC is not taken).
    const kty = typeof jwk === 'object' && jwk !== null ? (jwk as { kty?: unknown }).kty : undefined;
    return typeof kty === 'string' && kty !== 'oct' && !('d' in (jwk as object));
  } catch {
    return false;
  }
}

/**
 * Every setting of API.md §3, validated once at start. Node reads them from the
 * environment, Workers from `vars` and secrets; both pass a plain record here.
 * The README's configuration table is generated from this schema.
 */
export const configSchema = z.object({
  PORT: setting(wholeNumber(0, 65535).default(8787), 'Node: port to listen on'),
  HOST: setting(z.string().default('0.0.0.0'), 'Node: address to listen on'),
  DATABASE_URL: setting(
    z
      .string()
      .regex(/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/, 'file:PATH, libsql://HOST or http(s)://HOST')
      .default('file:./data/cart.db'),
    'Node: `file:PATH` (folder created if missing), or `libsql://…` / `http(s)://…` for a libSQL server',
  ),
  DATABASE_AUTH_TOKEN: setting(
    z.string().optional(),
    'Node: token for a remote libSQL server (a secret: never logged)',
  ),
  ADMIN_TOKEN: setting(
    z
      .string()
      .min(16, 'at least 16 characters when set')
      // What `Authorization: Bearer` can carry (RFC 6750 b64token): no spaces or quotes.
      .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'a bearer token: letters, digits and - . _ ~ + / (then = padding)')
      .optional(),
    'When set (≥ 16 characters), admin routes, `/metrics`, the classic surface and the default cart require `Authorization: Bearer <token>`',
  ),
  DEFAULT_CURRENCY: setting(
    z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    'ISO 4217 currency of new carts',
  ),
  CART_TTL_DAYS: setting(wholeNumber(1, 3650).default(30), 'Days after its last change a cart expires'),
  CORS_ORIGINS: setting(
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
      ),
    'Comma-separated origins allowed by CORS (`*` for any); none when empty',
  ),
  LOG_LEVEL: setting(
    z.enum(['debug', 'info', 'warn', 'error', 'silent'], 'one of debug, info, warn, error, silent').default('info'),
    '`debug`, `info` (one line per request), `warn`, `error` or `silent`',
  ),
  RATE_LIMIT_PER_MINUTE: setting(
    wholeNumber(0, 1_000_000).default(0),
    'Requests per client per minute on `/v1` and `/api`; 0 turns the limit off. On Workers the limit itself is the `[[ratelimits]]` binding in `wrangler.toml`; set both alike',
  ),
  TRUST_PROXY: setting(
    z.preprocess((value) => (value === 'true' ? 1 : value === 'false' ? 0 : value), wholeNumber(0, 10).default(0)),
    'Node: how many proxies stand in front of the service; the client address is then the N-th `X-Forwarded-For` entry from the right (`true` means 1; 0 uses the socket address)',
  ),
  PURGE_INTERVAL_MINUTES: setting(
    wholeNumber(0, 10_080).default(15),
    'Node: minutes between purges of expired carts and idempotency records; 0 turns the timer off',
  ),
  PRICES: setting(
    z.enum(['catalog', 'client'], 'catalog or client').default('catalog'),
    '`catalog`: lines take their name and price from the catalog (a client-sent price needs the admin token); `client`: from the request, for deployments whose every caller is a trusted server',
  ),
  TAX: setting(
    z.enum(['none', 'rates', 'external'], 'none, rates or external').default('none'),
    '`none`: no tax; `rates`: the tax rates of `/v1/admin/tax-rates`, by the shipping (else billing) address; `external`: the tax a tax service sets on each cart (`PUT /v1/carts/{id}/tax`, admin token)',
  ),
  PRICES_INCLUDE_TAX: setting(
    z
      .enum(['true', 'false'], 'true or false')
      .default('false')
      .transform((value) => value === 'true'),
    'Whether catalog, line and shipping prices include tax (gross, EU-style: the tax is extracted) or exclude it (net, US-style: the tax is added to the total); no effect with `TAX=none`',
  ),
  INVENTORY: setting(
    z.enum(['none', 'track', 'reserve'], 'none, track or reserve').default('none'),
    "`none`: stock is kept but not taken; `track`: checkout takes the stock of every tracked line (a product with a stock record, `/v1/admin/inventory`) in its own atomic step, all on hand or 409 `insufficient-stock`; `reserve`: as `track`, and adding to a cart reserves the units (or 409 `insufficient-stock`) until `RESERVATION_MINUTES` after the cart's last change",
  ),
  RESERVATION_MINUTES: setting(
    wholeNumber(1, 1440).default(15),
    "With `INVENTORY=reserve`: minutes after a cart's last change that its reservations lapse (every change renews them)",
  ),
  WEBHOOK_URL: setting(
    z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
    'Where events are POSTed (with `WEBHOOK_SECRET`); none are sent while unset',
  ),
  WEBHOOK_SECRET: setting(
    z
      .string()
      .refine((value) => secretBytes(value) >= 16, 'whsec_ followed by at least 16 bytes in base64')
      .optional(),
    'Standard Webhooks signing secret, `whsec_<base64>` (a secret: never logged)',
  ),
  WEBHOOK_MAX_ATTEMPTS: setting(wholeNumber(1, 50).default(8), 'Delivery attempts of an event before it is `failed`'),
  EVENT_SOURCE: setting(z.string().min(1).default('/edgecart'), 'The CloudEvents `source` of every event'),
  EVENT_RETENTION_DAYS: setting(wholeNumber(1, 3650).default(7), 'Days a delivered event is kept'),
  AUTH_JWKS_URL: setting(
    z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
    'Customers (API.md §8): the identity provider’s JWKS, fetched and cached; a token whose `kid` it lacks makes it fetch again (key rotation)',
  ),
  AUTH_PUBLIC_KEY: setting(
    z
      .string()
      .refine(publicKeyForm, 'a PEM public key (-----BEGIN PUBLIC KEY-----) or a public JWK as JSON')
      .optional(),
    'Customers: the one key customer tokens are signed with, instead of `AUTH_JWKS_URL` (PEM SPKI, or a JWK as JSON)',
  ),
  AUTH_ISSUER: setting(z.string().min(1).optional(), 'Customers: the `iss` a token must carry, when set'),
  AUTH_AUDIENCE: setting(z.string().min(1).optional(), 'Customers: the `aud` a token must carry, when set'),
  AUTH_ALGORITHMS: setting(
    z
      .string()
      .default('RS256,ES256,EdDSA')
      .transform((list) =>
        list
          .split(',')
          .map((alg) => alg.trim())
          .filter((alg) => alg !== ''),
      )
      .refine(
        (list) => list.length > 0 && list.every((alg) => JWS_ALGORITHMS.has(alg)),
        `a comma-separated list of ${[...JWS_ALGORITHMS].join(', ')}`,
      ),
    'Customers: the signature algorithms a token may use (`none` never)',
  ),
  AUTH_CLOCK_SKEW_SECONDS: setting(
    wholeNumber(0, 300).default(30),
    'Customers: seconds of clock difference allowed on `exp` and `nbf`',
  ),
  AUTH_JWKS_COOLDOWN_SECONDS: setting(
    wholeNumber(0, 3600).default(30),
    'Customers: the least time between two fetches of the JWKS for an unknown `kid`',
  ),
  WEB_CONCURRENCY: setting(
    wholeNumber(1, 64).default(1),
    'Node: server processes sharing the port and the database file',
  ),
});

export type AppConfig = z.infer<typeof configSchema>;

const secret = (name: string) => name.endsWith('TOKEN') || name.endsWith('SECRET');

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    /** One line per bad variable: `PORT: expected a whole number from 0 to 65535 (got "x")`. */
    readonly problems: string[],
  ) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Validates the settings, throwing one {@link ConfigError} that names every
 * bad variable and the form it expects. Token values are never echoed.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: object): AppConfig {
  const settings = source as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) picked[key] = settings[key];
  const result = configSchema.safeParse(picked);
  if (result.success) {
    const { WEBHOOK_URL, WEBHOOK_SECRET, AUTH_JWKS_URL, AUTH_PUBLIC_KEY } = result.data;
    if (AUTH_JWKS_URL !== undefined && AUTH_PUBLIC_KEY !== undefined)
      throw new ConfigError(['AUTH_PUBLIC_KEY: expected to be unset when AUTH_JWKS_URL is set (one source of keys)']);
    if ((WEBHOOK_URL === undefined) !== (WEBHOOK_SECRET === undefined)) {
      throw new ConfigError([
        `${WEBHOOK_URL === undefined ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET'}: expected to be set with ${WEBHOOK_URL === undefined ? 'WEBHOOK_SECRET' : 'WEBHOOK_URL'}`,
      ]);
    }
    return result.data;
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = secret(name) ? '' : ` (got ${JSON.stringify(picked[name])})`;
      return `${name}: expected ${issue.message}${got}`;
    }),
  );
}

/** The README's configuration table, from the schema's descriptions and defaults. */
export function configTable(): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const rows = Object.entries(configSchema.shape).map(([name, schema]) => {
    const value = defaults[name];
    const shown = value === undefined || (Array.isArray(value) && value.length === 0) ? '—' : `\`${String(value)}\``;
    return `| \`${name}\` | ${shown} | ${schema.description ?? ''} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
