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
});

describe('the README configuration table', () => {
  it('is the one generated from the schema', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable());
  });
});
