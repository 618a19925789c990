import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../config.js';
import { purgeEventsOf, purgeExpired } from '../../data/purge.js';
import { loggableError } from '../../platform/logger.js';
import { openLibsqlStore, StoreError } from './libsql.js';

/** The migrations folder beside dist/, where this entry is bundled to. */
const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** `npm run purge`: removes expired carts and idempotency records once, and says how many. */
async function main() {
  const config = loadConfig(process.env);
  const store = await openLibsqlStore({
    url: config.DATABASE_URL,
    authToken: config.DATABASE_AUTH_TOKEN,
    migrationsFolder: MIGRATIONS,
  });
  try {
    const purged = await purgeExpired(store.db, Date.now(), undefined, undefined, purgeEventsOf(config));
    console.log(JSON.stringify({ level: 'info', message: 'purged', ...purged }));
  } finally {
    store.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StoreError)
    console.error(JSON.stringify({ level: 'error', message: error.message }));
  else console.error(JSON.stringify({ level: 'error', message: 'purge failed', ...loggableError(error) }));
  process.exit(1);
});
