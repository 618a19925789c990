import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { storeOver } from '../../src/data/store.js';
import { MIGRATIONS_FOLDER, openLibsqlStore } from '../../src/runtime/node/libsql.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was up to and including `last` (a journal tag, e.g. `0013_cart_delivery`). */
function migrationsUpTo(last: string) {
  const folder = join(dir, `migrations-${last}`);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const end = journal.entries.findIndex((entry) => entry.tag === last);
  expect(end).toBeGreaterThanOrEqual(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
  return folder;
}

describe('migrations of data written before them', () => {
  it('gives an order placed before tax existed its zero tax fields (0014), every line included, the rest as it was', async () => {
    const url = `file:${join(dir, 'old.db')}`;
    const before = await openLibsqlStore({ url, migrationsFolder: migrationsUpTo('0013_cart_delivery') });
    const placed = {
      id: 'ord_OLDOLDOLDOLDOLDOLDOLD1',
      cart_id: 'crt_OLDOLDOLDOLDOLDOLDOLD1',
      status: 'placed',
      currency: 'EUR',
      items: [1, 2].map((n) => ({
        product_id: `sku-${n}`,
        name: `Line ${n}`,
        unit_price: 100 * n,
        quantity: 1,
        line_total: 100 * n,
        discount_allocations: [],
        metadata: {},
      })),
      subtotal: 300,
      discount_total: 0,
      discounts: [],
      delivery: null,
      shipping_total: 0,
      total: 300,
      email: null,
      note: null,
      attributes: {},
      shipping_address: null,
      billing_address: null,
      customer_id: null,
      metadata: {},
      created_at: '2026-12-01T00:00:00.000Z',
    };
    await before.db.run(
      sql`insert into orders (id, cart_id, customer_id, body, created_at) values (${placed.id}, ${placed.cart_id}, null, ${JSON.stringify(placed)}, 1)`,
    );
    before.close();
    const after = await openLibsqlStore({ url });
    try {
      const store = storeOver(after.db);
      const app = createApp({ config: loadConfig({ LOG_LEVEL: 'warn' }), store: () => store });
      const read = await app.request(`http://edgecart.test/v1/orders/${placed.id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual({
        ...placed,
        items: placed.items.map((item) => ({ ...item, tax_lines: [] })),
        shipping_tax_lines: [],
        tax_total: 0,
        prices_include_tax: false,
        // 0015, the lifecycle.
        version: 1,
        status_history: [{ status: 'placed', at: placed.created_at }],
        payment_reference: null,
      });
    } finally {
      after.close();
    }
  });

  it('gives an order placed before the lifecycle existed its version, history and reference (0015), and lets it move', async () => {
    const url = `file:${join(dir, 'before-lifecycle.db')}`;
    const before = await openLibsqlStore({ url, migrationsFolder: migrationsUpTo('0014_tax') });
    const placed = {
      id: 'ord_OLDOLDOLDOLDOLDOLDOLD2',
      cart_id: 'crt_OLDOLDOLDOLDOLDOLDOLD2',
      status: 'placed',
      currency: 'EUR',
      items: [],
      subtotal: 0,
      discount_total: 0,
      discounts: [],
      total: 0,
      metadata: {},
      created_at: '2026-12-02T00:00:00.000Z',
    };
    await before.db.run(
      sql`insert into orders (id, cart_id, customer_id, body, created_at) values (${placed.id}, ${placed.cart_id}, null, ${JSON.stringify(placed)}, 1)`,
    );
    before.close();
    const after = await openLibsqlStore({ url });
    try {
      const store = storeOver(after.db);
      const token = 'migration-admin-token-000000';
      const app = createApp({ config: loadConfig({ LOG_LEVEL: 'warn', ADMIN_TOKEN: token }), store: () => store });
      const read = await app.request(`http://edgecart.test/v1/orders/${placed.id}`);
      expect(read.headers.get('etag')).toBe('"1"');
      const history = [{ status: 'placed', at: placed.created_at }];
      expect(await read.json()).toEqual({ ...placed, version: 1, status_history: history, payment_reference: null });
      const paid = await app.request(`http://edgecart.test/v1/admin/orders/${placed.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
        body: JSON.stringify({ status: 'paid' }),
      });
      expect(paid.status).toBe(200);
      expect(await paid.json()).toMatchObject({ ...placed, status: 'paid', version: 2, payment_reference: null });
    } finally {
      after.close();
    }
  });
});
