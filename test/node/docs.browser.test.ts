import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { DOCUMENTED_OPERATIONS, DOCUMENTED_WEBHOOKS } from '../cases/openapi.cases.js';
import { startServer } from './server.js';

// Debian's Chromium; .ci/run installs it. Its background services are off, so
// every request the page makes is one the docs make.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Without Chromium (a machine with only Node and npm) the test is skipped and
// says so. Under CI (any CI value but "" / "0" / "false"; .ci/run sets
// CI=true and installs Chromium) it must run, and fails without Chromium.
const underCi = /^(?!(0|false)$)./i.test(process.env.CI ?? '');
const skip = !existsSync(CHROMIUM) && !underCi;
if (skip) console.warn(`skipping the /docs browser test: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

it.skipIf(skip)(
  'renders /docs offline: the cart operations are listed and no request leaves the service',
  {
    timeout: 60_000,
  },
  async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`).toBe(true);
    const server = await startServer({ DATABASE_URL: `file:${join(dir, 'cart.db')}` });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const failures: string[] = [];
      page.on('requestfailed', (request) => failures.push(request.url()));
      await page.goto(`${server.url}/docs`);
      await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
      const operations = await page.$$eval('.opblock-summary', (blocks) =>
        blocks.map((block) => {
          const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
          const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method.toLowerCase()} ${path}`;
        }),
      );
      // The routes, and the webhooks the service sends.
      const webhooks = DOCUMENTED_WEBHOOKS.map((type) => `post ${type}`);
      expect(operations.sort()).toEqual([...DOCUMENTED_OPERATIONS, ...webhooks].sort());
      const foreign = requested.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:'));
      expect(foreign).toEqual([]);
      expect(failures).toEqual([]);
      expect(requested).toContain(`${server.url}/openapi.json`);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
);
