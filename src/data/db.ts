import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * What the data code may use of a database: the query builder both drizzle
 * SQLite drivers share, plus `batch` (one atomic round trip on D1 and libSQL
 * alike). Nothing driver-specific (`transaction`, `rowsAffected`) is reachable.
 */
export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema> & {
  batch: LibSQLDatabase<typeof schema>['batch'];
};
