import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient, type InStatement, type ResultSet, type Row } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { adminCases } from '../../../test/cases/admin.cases.js';
import { classicCases } from '../../../test/cases/classic.cases.js';
import type { Fetcher } from '../../../test/cases/client.js';
import { manualClock } from '../../../test/cases/clock.js';
import { oneCartCases } from '../../../test/cases/core.cases.js';
import { expiryCases } from '../../../test/cases/expiry.cases.js';
import { idempotencyCases } from '../../../test/cases/idempotency.cases.js';
import { inputCases } from '../../../test/cases/input.cases.js';
import { v1Cases } from '../../../test/cases/v1.cases.js';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import * as schema from '../../data/schema.js';
import { storeOver } from '../../data/store.js';
import { MIGRATIONS_FOLDER } from './libsql.js';
import { LocalClient } from './local-client.js';

/** What a caller can observe of a result set: enumerable names, values by index, counts. */
function observed(result: ResultSet) {
  const rows = result.rows.map((row: Row) => ({
    named: Object.fromEntries(Object.keys(row).map((key) => [key, row[key]])),
    indexed: Array.from({ length: row.length }, (_, i) => row[i]),
  }));
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rows,
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
  };
}

/**
 * A client that runs every statement on two databases, one behind
 * `@libsql/client` and one behind LocalClient, compares what each returns
 * (or throws), and answers with LocalClient's result.
 */
class TeeClient {
  readonly protocol = 'file';
  closed = false;
  compared = 0;
  readonly mismatches: string[] = [];
  constructor(
    private readonly reference: Client,
    private readonly local: LocalClient,
  ) {}

  async #both<T>(what: string, ref: () => Promise<T>, mine: () => Promise<T>, view: (value: T) => unknown): Promise<T> {
    const [a, b] = await Promise.allSettled([ref(), mine()]);
    this.compared++;
    const shown = (s: PromiseSettledResult<T>) =>
      s.status === 'fulfilled' ? { ok: view(s.value) } : { error: String((s.reason as Error).message) };
    const [x, y] = [shown(a), shown(b)];
    try {
      expect(y).toEqual(x);
    } catch {
      this.mismatches.push(
        `${what}\n@libsql/client: ${JSON.stringify(x, bigints)}\nLocalClient:    ${JSON.stringify(y, bigints)}`,
      );
    }
    if (b.status === 'rejected') throw b.reason;
    return b.value;
  }

  execute(input: InStatement) {
    const what = typeof input === 'string' ? input : input.sql;
    return this.#both(
      what,
      () => this.reference.execute(input),
      () => this.local.execute(input),
      observed,
    );
  }
  batch(statements: InStatement[]) {
    const what = statements.map((s) => (typeof s === 'string' ? s : s.sql)).join(';\n');
    return this.#both(
      what,
      () => this.reference.batch(statements, 'write'),
      () => this.local.batch(statements),
      (results) => results.map(observed),
    );
  }
  migrate(statements: InStatement[]) {
    return this.#both(
      'migrate',
      () => this.reference.migrate(statements),
      () => this.local.migrate(statements),
      (results) => results.map(observed),
    );
  }
  async executeMultiple(text: string) {
    await this.reference.executeMultiple(text);
    await this.local.executeMultiple(text);
  }
  close() {
    this.reference.close();
    this.local.close();
  }
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);

const dir = mkdtempSync(join(tmpdir(), 'edgecart-contract-'));
const tee = new TeeClient(
  createClient({ url: `file:${join(dir, 'reference.db')}` }),
  new LocalClient(join(dir, 'local.db')),
);
const db = drizzle(tee as unknown as Client, { schema });
await db.run(sql`PRAGMA foreign_keys = ON`);
await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
const clock = manualClock();
const token = 'contract-admin-token-0123456789';
/** The app over the tee, at `now`, sending the admin token (the default cart and the classic surface need it). */
function appAt(now: () => number, sendToken = true): Fetcher {
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'error', PRICES: 'client', ADMIN_TOKEN: token }),
    store: () => storeOver(db),
    now,
  });
  return async (path, init) =>
    app.request(`http://edgecart.test${path}`, {
      ...init,
      headers: { ...(sendToken ? { authorization: `Bearer ${token}` } : {}), ...(init?.headers ?? {}) },
    });
}
const live = appAt(Date.now);
const moved = appAt(clock.now);

afterAll(() => {
  tee.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local client answers every query of the store as @libsql/client does', () => {
  v1Cases(live);
  classicCases(live);
  inputCases(live);
  adminCases(
    appAt(Date.now, false),
    token,
    appAt(() => Date.UTC(2026, 10, 27, 12), false),
  );
  idempotencyCases(moved, db, clock, 'admin');
  expiryCases(moved, db, clock);
  oneCartCases(live);

  it('compared every statement, and found no difference', () => {
    expect(tee.compared).toBeGreaterThan(1000);
    expect(tee.mismatches).toEqual([]);
  });

  it('reads raw rows by column name, as @libsql/client does', async () => {
    const rows = await db.all<{ id: string; currency: string }>(
      sql`select id, currency from carts where id = 'default'`,
    );
    expect(rows).toEqual([{ id: 'default', currency: 'USD' }]);
  });
});
