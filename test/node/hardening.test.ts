import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { clientPriceHardeningCases, hardeningCases, openClassicHardeningCases } from '../cases/hardening.cases.js';
import { nodeApp } from './app.js';

const token = 'node-hardening-admin-token-0123';
hardeningCases((await nodeApp({ PRICES: 'catalog', ADMIN_TOKEN: token })).fetcher, token);
clientPriceHardeningCases((await nodeApp({ PRICES: 'client' })).fetcher);
openClassicHardeningCases((await nodeApp({ PRICES: 'catalog' })).fetcher);

describe('the start of an app', () => {
  const warnings = async (env: Record<string, string>) => {
    const lines: string[] = [];
    const logger = createLogger('warn', { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    await nodeApp(env, undefined, { logger });
    return lines.map((line) => JSON.parse(line) as { level: string; message: string });
  };

  it('warns that the classic surface is open while PRICES=catalog has no ADMIN_TOKEN, and only then', async () => {
    expect(await warnings({ PRICES: 'catalog' })).toMatchObject([
      { level: 'warn', message: expect.stringMatching(/^ADMIN_TOKEN is unset: the classic surface/) },
    ]);
    expect(await warnings({ PRICES: 'catalog', ADMIN_TOKEN: 'node-hardening-admin-token-0123' })).toEqual([]);
    expect(await warnings({ PRICES: 'client' })).toEqual([]);
  });
});
