import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { cartStore } from '../../src/data/carts.js';
import { carts } from '../../src/data/schema.js';
import { openLibsqlStore } from '../../src/runtime/node/libsql.js';
import { describeServer, type RunningServer, runToExit, startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-server-'));
const running: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

const start = async (env: Record<string, string>) => {
  const server = await startServer(env);
  running.push(server);
  return server;
};

describeServer('the Node server (dist/node.js, as npm start runs it)', () => {
  it('serves the walkthrough over HTTP on a file store it creates, folder included', async () => {
    const server = await start({ DATABASE_URL: `file:${join(dir, 'new-folder', 'cart.db')}` });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const created = await fetch(`${server.url}/api/cart-items/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_name: 'name', product_price: '41', product_quantity: '1' }),
    });
    expect(created.status).toBe(200);
    const { data } = (await created.json()) as { data: { id: number } };
    const read = await fetch(`${server.url}/api/cart-items/${data.id}`);
    expect(await read.json()).toEqual({
      status: 'success',
      data: { id: data.id, product_name: 'name', product_price: 41, product_quantity: 1 },
    });
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('keeps data across a restart on the same file', async () => {
    const url = `file:${join(dir, 'restart.db')}`;
    const first = await start({ DATABASE_URL: url });
    const created = await fetch(`${first.url}/api/cart-items`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'product_name=kept&product_price=3',
    });
    const { data } = (await created.json()) as { data: { id: number } };
    expect(await first.stop()).toBe(0);
    const second = await start({ DATABASE_URL: url });
    expect((await fetch(`${second.url}/api/cart-items/${data.id}`)).status).toBe(200);
  });

  it('migrates safely when two processes start at once on a new file', async () => {
    const url = `file:${join(dir, 'race.db')}`;
    const servers = await Promise.all([start({ DATABASE_URL: url }), start({ DATABASE_URL: url })]);
    for (const server of servers) {
      const reply = await fetch(`${server.url}/api/cart-items/`);
      expect(reply.status).toBe(200);
    }
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number from 0 to 65535/],
    ['DATABASE_URL', 'postgres://db/cart', /DATABASE_URL: expected file:PATH, libsql:\/\/HOST or http\(s\):\/\/HOST/],
    ['DEFAULT_CURRENCY', 'dollars', /DEFAULT_CURRENCY: expected an ISO 4217 code/],
    ['CART_TTL_DAYS', '0', /CART_TTL_DAYS: expected a whole number from 1 to 3650/],
    [
      'AUTH_PUBLIC_KEY',
      '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----',
      /AUTH_PUBLIC_KEY: expected a public key for one of RS256, ES256, EdDSA/,
    ],
  ])('refuses to start with a bad %s, naming it', async (name, value, message) => {
    const { code, output } = await runToExit({ DATABASE_URL: `file:${join(dir, 'bad.db')}`, [name]: value });
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('runs WEB_CONCURRENCY server processes on one port', async () => {
    const server = await start({ DATABASE_URL: `file:${join(dir, 'cluster.db')}`, WEB_CONCURRENCY: '3' });
    const deadline = Date.now() + 20_000;
    const pids = () =>
      new Set([...server.output().matchAll(/"message":"listening"[^\n]*"pid":(\d+)/g)].map((m) => m[1]));
    while (pids().size < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids().size).toBe(3);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('purges expired carts with `npm run purge` (dist/purge.js)', async () => {
    const url = `file:${join(dir, 'purge.db')}`;
    const store = await openLibsqlStore({ url });
    const longAgo = Date.now() - 40 * 86_400_000;
    const cartsOf = cartStore(store.db);
    await cartsOf.create(
      { id: 'crt_expiredexpiredexpired', currency: 'USD', metadata: '{}', customerId: null },
      [],
      longAgo,
      30,
    );
    await cartsOf.create(
      { id: 'crt_liveliveliveliveliveli', currency: 'USD', metadata: '{}', customerId: null },
      [],
      Date.now(),
      30,
    );
    store.close();
    const { code, output } = await runToExit({ DATABASE_URL: url }, 'purge.js');
    expect(code).toBe(0);
    expect(JSON.parse(output.trim())).toMatchObject({ message: 'purged', carts: 1 });
    const after = await openLibsqlStore({ url });
    expect(await after.db.select().from(carts).where(eq(carts.id, 'crt_expiredexpiredexpired'))).toEqual([]);
    expect(await after.db.select().from(carts).where(eq(carts.id, 'crt_liveliveliveliveliveli'))).toHaveLength(1);
    after.close();
  });
});
