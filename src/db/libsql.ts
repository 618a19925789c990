import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.js';
import type { Db } from './store.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface LibsqlStore {
  db: Db;
  client: Client;
  close(): void;
}

/** The file path of a `file:` URL, or undefined for a remote libSQL server. */
export function localPath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  return resolve(url.slice('file:'.length).replace(/^\/\/(?=\/)/, ''));
}

/**
 * Opens the libSQL store once for the Node process: creates the data folder
 * of a local file, sets the pragmas a shared file needs, and applies pending
 * migrations.
 *
 * @example
 * const store = await openLibsqlStore({ url: 'file:./data/cart.db' });
 */
export async function openLibsqlStore(options: { url: string; authToken?: string | undefined }): Promise<LibsqlStore> {
  const path = localPath(options.url);
  if (path !== undefined) mkdirSync(dirname(path), { recursive: true });
  const client = createClient(
    options.authToken === undefined ? { url: options.url } : { url: options.url, authToken: options.authToken },
  );
  try {
    if (path !== undefined) {
      // WAL lets readers run beside the writer; busy_timeout makes a second
      // process wait for the write lock instead of failing with SQLITE_BUSY.
      await client.execute('PRAGMA busy_timeout = 5000');
      await client.execute('PRAGMA journal_mode = WAL');
      await client.execute('PRAGMA synchronous = NORMAL');
    }
    await client.execute('PRAGMA foreign_keys = ON');
    const db = drizzle(client, { schema });
    await applyMigrations(db);
    return { db, client, close: () => client.close() };
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * drizzle's migrator applies all pending migrations in one batch. When two
 * processes start at once both may see the same pending list; the loser's
 * batch fails as a whole (tables already exist) and is rolled back, so a
 * second pass, which now sees them applied, is all it takes.
 */
async function applyMigrations(db: Parameters<typeof migrate>[0]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
