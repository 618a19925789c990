import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type AppDeps, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Store } from '../../src/data/store.js';
import { createLogger } from '../../src/platform/logger.js';
import { send } from './client.js';

/**
 * A query that fails inside the store is logged without its SQL or its bound
 * parameters (a cart id among them), and answered with a bare 500.
 */
export function queryErrorLogCases(store: () => Store, deps: Partial<AppDeps> = {}) {
  describe('a query that fails', () => {
    it('is logged as the driver’s error, with no SQL and no bound parameter, and answers a bare 500', async () => {
      const lines: string[] = [];
      const real = store();
      const cartId = 'crt_LEAKLEAKLEAKLEAKLEAKLE';
      const broken: Store = {
        ...real,
        carts: {
          ...real.carts,
          read: async (id) => {
            await real.db.all(sql`select * from no_such_table where id = ${id}`);
            return undefined;
          },
        },
      };
      const app = createApp({
        ...deps,
        config: loadConfig({ LOG_LEVEL: 'info' }),
        store: () => broken,
        logger: createLogger('info', { out: (line) => lines.push(line), err: (line) => lines.push(line) }),
      });
      const reply = await send(
        async (path, init) => app.request(`http://edgecart.test${path}`, init),
        'GET',
        `/v1/carts/${cartId}`,
      );
      expect(reply.status).toBe(500);
      expect(reply.text).not.toMatch(/no_such_table|select|LEAK/);
      const error = lines.map((line) => JSON.parse(line)).find((entry) => entry.message === 'unhandled error');
      expect(error?.error).toMatch(/no such table/);
      expect(lines.join('\n')).not.toContain('LEAK');
      expect(lines.join('\n')).not.toMatch(/select \*|Failed query|params:/);
    });
  });
}
