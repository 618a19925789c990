import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openLibsqlStore } from './db/libsql.js';

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

async function main() {
  const config = loadConfig(process.env);
  const store = await openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  const app = createApp({ config, db: () => store.db, docsAssets: docsAssets() });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    console.log(JSON.stringify({ level: 'info', message: 'listening', address: info.address, port: info.port }));
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

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `cannot start: ${String(error)}`;
  console.error(JSON.stringify({ level: 'error', message }));
  process.exit(1);
});
