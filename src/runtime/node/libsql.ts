import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Db } from '../../data/db.js';
import * as schema from '../../data/schema.js';
import { LocalClient } from './local-client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** The store cannot be opened; the message is fit to print (no credentials in it). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** A URL as it may be shown: a remote server's origin only, never a token or query. */
export function describeUrl(url: string): string {
  if (url.startsWith('file:')) return url.split('?')[0] ?? url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured URL';
  }
}

/** How long opening the store may take before start-up gives up (a remote server that never answers). */
export const CONNECT_TIMEOUT_MS = 10_000;

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
export async function openLibsqlStore(options: {
  url: string;
  authToken?: string | undefined;
  connectTimeoutMs?: number;
  /** Where the migrations are; the bundled entries pass their own, next to dist/. */
  migrationsFolder?: string;
}): Promise<LibsqlStore> {
  const where = describeUrl(options.url);
  const path = localPath(options.url);
  if (path !== undefined) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      accessSync(dirname(path), constants.W_OK);
    } catch (error) {
      throw new StoreError(
        `cannot use the folder ${dirname(path)} for the database: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  let client: Client;
  try {
    client =
      path !== undefined
        ? new LocalClient(path).asClient()
        : createClient(
            options.authToken === undefined ? { url: options.url } : { url: options.url, authToken: options.authToken },
          );
  } catch (error) {
    throw new StoreError(`cannot open the database at ${where}: ${(error as Error).message}`);
  }
  const ms = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  try {
    await withTimeout(
      whileLocked(() => prepare(client, path !== undefined)),
      ms,
      `no answer from the database at ${where} within ${ms / 1000} s`,
    );
    const db = drizzle(client, { schema });
    await withTimeout(
      applyMigrations(db, options.migrationsFolder ?? MIGRATIONS_FOLDER),
      ms * 3,
      `migrating the database at ${where} took over ${(ms * 3) / 1000} s`,
    );
    return { db, client, close: () => client.close() };
  } catch (error) {
    client.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open the database at ${where}: ${(error as Error).message}`);
  }
}

/**
 * Retries `work` while SQLite answers "database is locked": switching a new
 * file to WAL needs a moment of exclusive access, which the busy timeout does
 * not always wait for when two processes start on one file at once.
 */
async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 50 || !/database is locked|SQLITE_BUSY/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
  }
}

async function prepare(client: Client, local: boolean) {
  if (local) {
    // WAL lets readers run beside the writer; busy_timeout makes a second
    // process wait for the write lock instead of failing with SQLITE_BUSY.
    await client.execute('PRAGMA busy_timeout = 5000');
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  await client.execute('PRAGMA foreign_keys = ON');
}

/**
 * drizzle's migrator applies all pending migrations in one batch. When two
 * processes start at once both may see the same pending list; the loser's
 * batch fails as a whole (tables already exist) and is rolled back, so a
 * second pass, which now sees them applied, is all it takes.
 */
async function applyMigrations(db: Parameters<typeof migrate>[0], migrationsFolder: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await whileLocked(() => migrate(db, { migrationsFolder }));
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
