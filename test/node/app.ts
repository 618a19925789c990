import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { storeOver } from '../../src/data/store.js';
import { openLibsqlStore } from '../../src/runtime/node/libsql.js';
import type { Fetcher } from '../cases/client.js';

/** An app over a fresh libSQL file of its own, removed when the test file ends. */
export async function nodeApp(
  env: Record<string, string> = {},
  now?: () => number,
  deps: Partial<Omit<AppDeps, 'config' | 'store'>> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'edgecart-test-'));
  const opened = await openLibsqlStore({ url: `file:${join(dir, 'cart.db')}` });
  const store = storeOver(opened.db);
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client', ...env }),
    store: () => store,
    ...(now ? { now } : {}),
    ...deps,
  });
  afterAll(() => {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const fetcher: Fetcher = async (path, init) => app.request(`http://edgecart.test${path}`, init);
  return { app, store: opened, fetcher, dir, db: opened.db };
}

/** One app per settings of `envs`, by name, over one fresh libSQL file: one deployment seen with different settings. */
export async function nodeAppsOverOne<K extends string>(envs: Record<K, Record<string, string>>, now?: () => number) {
  const names = Object.keys(envs) as K[];
  const base = await nodeApp(envs[names[0] as K], now);
  const fetchers = {} as Record<K, Fetcher>;
  for (const name of names) {
    const store = storeOver(base.db);
    const app = createApp({
      config: loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client', ...envs[name] }),
      store: () => store,
      ...(now ? { now } : {}),
    });
    fetchers[name] = async (path, init) => app.request(`http://edgecart.test${path}`, init);
  }
  return fetchers;
}
