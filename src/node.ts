import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createApp } from './app.js';
import { purgeExpired } from './cart/purge.js';
import { type AppConfig, ConfigError, loadConfig } from './config.js';
import { type LibsqlStore, openLibsqlStore } from './db/libsql.js';

const log = (level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, pid: process.pid, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
};

/** Swagger UI's files for /docs, straight from the installed package. */
function docsAssets() {
  const root = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return serveStatic({
    root,
    rewriteRequestPath: (path) => path.replace(/^\/docs\/assets/, ''),
    onFound: (_path, c) => {
      c.header('Cache-Control', 'public, max-age=86400');
    },
  });
}

/** Purges expired carts every PURGE_INTERVAL_MINUTES (0: never), in one process only. */
function startPurgeTimer(config: AppConfig, store: LibsqlStore) {
  if (config.PURGE_INTERVAL_MINUTES === 0) return;
  const timer = setInterval(() => {
    purgeExpired(store.db, Date.now()).then(
      (purged) => log('info', 'purged', { ...purged }),
      (error: unknown) => log('error', 'purge failed', { error: String(error) }),
    );
  }, config.PURGE_INTERVAL_MINUTES * 60_000);
  timer.unref();
}

/** One server process: the store opened once, the app over it, stopped cleanly on SIGTERM/SIGINT. */
async function serveProcess(config: AppConfig, withPurge: boolean) {
  const store = await openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  const app = createApp({ config, db: () => store.db, docsAssets: docsAssets() });
  if (withPurge) startPurgeTimer(config, store);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log('info', 'listening', { address: info.address, port: info.port });
  });
  const stop = () => {
    server.close(() => {
      store.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * WEB_CONCURRENCY > 1: the primary applies migrations and runs the purge
 * timer, then forks that many server processes sharing the port (node:cluster)
 * and the database file (WAL, busy timeout). A process that dies is replaced.
 */
async function primary(config: AppConfig) {
  const store = await openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  startPurgeTimer(config, store);
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        store.close();
        process.exit(0);
      }
      return;
    }
    log('error', 'server process died; starting another', { worker: worker.process.pid, code, signal });
    cluster.fork();
  });
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) cluster.fork();
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main() {
  const config = loadConfig(process.env);
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) await primary(config);
  else await serveProcess(config, cluster.isPrimary);
}

main().catch((error: unknown) => {
  log('error', error instanceof ConfigError ? error.message : `cannot start: ${String(error)}`);
  process.exit(1);
});
