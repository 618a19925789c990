import { z } from 'zod';

/** Reads a whole-number variable, keeping the message about the expected form readable. */
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `a whole number from ${min} to ${max}` })
    .int(`a whole number from ${min} to ${max}`)
    .min(min, `a whole number from ${min} to ${max}`)
    .max(max, `a whole number from ${min} to ${max}`);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * Every setting of API.md §3, validated once at start. Node reads them from the
 * environment, Workers from `vars` and secrets; both pass a plain record here.
 */
export const configSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, wholeNumber(0, 65535).default(8787)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/, 'file:PATH, libsql://HOST or http(s)://HOST')
      .default('file:./data/cart.db'),
  ),
  DATABASE_AUTH_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'at least 16 characters when set').optional()),
  DEFAULT_CURRENCY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
  ),
  CART_TTL_DAYS: z.preprocess(emptyAsUndefined, wholeNumber(1, 3650).default(30)),
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
      ),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['debug', 'info', 'warn', 'error', 'silent'], 'one of debug, info, warn, error, silent').default('info'),
  ),
  RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, wholeNumber(0, 1_000_000).default(0)),
  /** Node: minutes between purges of expired carts and idempotency records; 0 turns the timer off. */
  PURGE_INTERVAL_MINUTES: z.preprocess(emptyAsUndefined, wholeNumber(0, 10_080).default(15)),
  /** Node: server processes sharing the port and the database file. */
  WEB_CONCURRENCY: z.preprocess(emptyAsUndefined, wholeNumber(1, 64).default(1)),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the settings, throwing one {@link ConfigError} whose message has a
 * line for each bad variable, e.g. `PORT: a whole number from 0 to 65535 (got "x")`.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: object): AppConfig {
  const settings = source as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) picked[key] = settings[key];
  const result = configSchema.safeParse(picked);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const secret = name.endsWith('TOKEN');
    const got = secret ? '' : ` (got ${JSON.stringify(picked[name])})`;
    return `${name}: expected ${issue.message}${got}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
