import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('loadConfig, on every runtime', () => {
  it.each([
    ['a space', 'admin token with spaces'],
    ['a quote', 'admin"token-0123456789'],
    ['a comma', 'admin,token-0123456789'],
  ])('refuses an ADMIN_TOKEN with %s, which no bearer header could carry, without echoing it', (_what, token) => {
    const problems = problemsOf({ ADMIN_TOKEN: token });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ADMIN_TOKEN: expected a bearer token/);
    expect(problems.join()).not.toContain(token);
  });

  it('takes an ADMIN_TOKEN of bearer-token characters, padding included', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'abc-DEF_012.345~678+9/xyz==' }).ADMIN_TOKEN).toBe('abc-DEF_012.345~678+9/xyz==');
  });

  it.each([
    [undefined, 0],
    ['false', 0],
    ['true', 1],
    ['0', 0],
    ['2', 2],
  ])('reads TRUST_PROXY %s as %i trusted proxies', (value, hops) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toBe(hops);
  });

  it.each(['yes', '-1', '1.5', '11'])('refuses TRUST_PROXY %j', (value) => {
    expect(problemsOf({ TRUST_PROXY: value })[0]).toMatch(/^TRUST_PROXY: /);
  });
});
