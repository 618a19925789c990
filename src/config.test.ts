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

  const url = 'https://hooks.example/edgecart';
  const secret = `whsec_${btoa('sixteen bytes!!!')}`;

  it('takes a webhook URL with a whsec_ secret of at least 16 bytes', () => {
    const config = loadConfig({ WEBHOOK_URL: url, WEBHOOK_SECRET: secret });
    expect(config).toMatchObject({
      WEBHOOK_URL: url,
      WEBHOOK_SECRET: secret,
      WEBHOOK_MAX_ATTEMPTS: 8,
      PRICES: 'catalog',
    });
  });

  it.each([
    ['fifteen bytes', `whsec_${btoa('fifteen bytes!!')}`],
    ['no prefix', btoa('sixteen bytes!!!')],
    ['base64 atob refuses', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a lone pad', 'whsec_AAAAAAAAAAAAAAAAAAAAAA='],
  ])('refuses a WEBHOOK_SECRET with %s at start, without echoing it', (_what, value) => {
    const problems = problemsOf({ WEBHOOK_URL: url, WEBHOOK_SECRET: value });
    expect(problems).toEqual(['WEBHOOK_SECRET: expected whsec_ followed by at least 16 bytes in base64']);
  });

  it('takes INVENTORY none (the default), track or reserve, RESERVATION_MINUTES 1 … 1440 (15 by default), and stops at start on anything else', () => {
    expect(loadConfig({}).INVENTORY).toBe('none');
    expect(loadConfig({ INVENTORY: 'track' }).INVENTORY).toBe('track');
    expect(loadConfig({ INVENTORY: 'reserve' }).INVENTORY).toBe('reserve');
    expect(problemsOf({ INVENTORY: 'TRACK' })[0]).toMatch(/^INVENTORY: expected none, track or reserve/);
    expect(loadConfig({}).RESERVATION_MINUTES).toBe(15);
    expect(loadConfig({ RESERVATION_MINUTES: '1' }).RESERVATION_MINUTES).toBe(1);
    expect(loadConfig({ RESERVATION_MINUTES: '1440' }).RESERVATION_MINUTES).toBe(1440);
    for (const bad of ['0', '1441', '2.5', 'soon']) expect(problemsOf({ RESERVATION_MINUTES: bad })).toHaveLength(1);
  });

  it('wants WEBHOOK_URL and WEBHOOK_SECRET together', () => {
    expect(problemsOf({ WEBHOOK_URL: url })).toEqual(['WEBHOOK_SECRET: expected to be set with WEBHOOK_URL']);
    expect(problemsOf({ WEBHOOK_SECRET: secret })).toEqual(['WEBHOOK_URL: expected to be set with WEBHOOK_SECRET']);
  });
});
