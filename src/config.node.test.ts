import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configTable, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 8787,
      HOST: '0.0.0.0',
      DATABASE_URL: 'file:./data/cart.db',
      DEFAULT_CURRENCY: 'USD',
      CART_TTL_DAYS: 30,
      CORS_ORIGINS: [],
      LOG_LEVEL: 'info',
    });
  });

  it('treats empty variables as unset and splits CORS_ORIGINS', () => {
    const config = loadConfig({ PORT: '', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.PORT).toBe(8787);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('names every bad variable and its expected form, never echoing a token', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '99999', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short-secret' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toEqual([
      'PORT: expected a whole number from 0 to 65535 (got "99999")',
      'ADMIN_TOKEN: expected at least 16 characters when set',
      'LOG_LEVEL: expected one of debug, info, warn, error, silent (got "loud")',
    ]);
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('checks the customer-token settings: the key’s form, the algorithms, one source of keys', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problemsOf({ AUTH_PUBLIC_KEY: 'not a key' })).toEqual([
      'AUTH_PUBLIC_KEY: expected a PEM public key (-----BEGIN PUBLIC KEY-----) or a public JWK as JSON (got "not a key")',
    ]);
    // A private JWK (it has `d`) is refused: the service only ever needs the public half.
    expect(problemsOf({ AUTH_PUBLIC_KEY: '{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}' })).toHaveLength(1);
    // A shared secret is no public key.
    expect(problemsOf({ AUTH_PUBLIC_KEY: '{"kty":"oct","k":"c2VjcmV0"}' })).toHaveLength(1);
    expect(problemsOf({ AUTH_ALGORITHMS: 'RS256,none' })[0]).toMatch(
      /^AUTH_ALGORITHMS: expected a comma-separated list of RS256/,
    );
    expect(problemsOf({ AUTH_JWKS_URL: 'https://id.example/jwks.json', AUTH_PUBLIC_KEY: '{"kty":"EC"}' })).toEqual([
      'AUTH_PUBLIC_KEY: expected to be unset when AUTH_JWKS_URL is set (one source of keys)',
    ]);
    expect(loadConfig({ AUTH_JWKS_URL: 'https://id.example/jwks.json' })).toMatchObject({
      AUTH_ALGORITHMS: ['RS256', 'ES256', 'EdDSA'],
      AUTH_CLOCK_SKEW_SECONDS: 30,
    });
  });
});

describe('the README configuration table', () => {
  it('is the one generated from the schema', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable());
  });
});
