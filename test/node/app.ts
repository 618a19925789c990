import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openLibsqlStore } from '../../src/db/libsql.js';
import type { Fetcher } from '../cases/client.js';

/** An app over a fresh libSQL file of its own, removed when the test file ends. */
export async function nodeApp(env: Record<string, string> = {}, now?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'edgecart-test-'));
  const store = await openLibsqlStore({ url: `file:${join(dir, 'cart.db')}` });
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'warn', ...env }),
    db: () => store.db,
    ...(now ? { now } : {}),
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const fetcher: Fetcher = async (path, init) => app.request(`http://edgecart.test${path}`, init);
  return { app, store, fetcher, dir, db: store.db };
}
