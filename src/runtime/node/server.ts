import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type RequestListener, type ServerOptions } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from '../../app.js';
import { type AppConfig, ConfigError, loadConfig } from '../../config.js';
import { purgeEventsOf, purgeExpired } from '../../data/purge.js';
import { storeOver } from '../../data/store.js';
import { checkCustomerKey } from '../../platform/customer-auth.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import { requestIdFrom, SECURE_HEADERS } from '../../platform/request-context.js';
import { type Dispatcher, startDispatcher } from './dispatcher.js';
import { docsAssets } from './docs-assets.js';
import { type LibsqlStore, openLibsqlStore, StoreError } from './libsql.js';
import { bufferedSink } from './log-sink.js';
import { createMetrics, serveClusterMetrics } from './metrics.js';
import { startPurgeTimer } from './purge-timer.js';
import { nodeClientAddress, nodeRateLimiter, serveClusterRateLimits } from './rate-limit.js';

/** The migrations folder beside dist/, where this entry is bundled to. */
const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** How long a stopping server lets in-flight requests run before it cuts them off. */
const SHUTDOWN_GRACE_MS = 10_000;

const PRESET = new Map(SECURE_HEADERS.map(([name, value]) => [name.toLowerCase(), value]));
const REQUEST_ID = Symbol('requestId');

/**
 * node:http's server with the secure headers and `X-Request-Id` set on every
 * response before the app runs: Node's own header map is far cheaper than
 * Headers.set calls through Hono's context (and reading the caller's id from
 * Node's parsed headers spares building a fetch Headers). Anything the app
 * sets (the docs page's policy) still takes precedence when the response is written.
 */
const withPresetHeaders = ((options: ServerOptions, listener: RequestListener) =>
  createServer(options, (req, res) => {
    const sent = req.headers['x-request-id'];
    const id = requestIdFrom(typeof sent === 'string' ? sent : undefined);
    (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] = id;
    res.setHeaders(PRESET);
    res.setHeader('X-Request-Id', id);
    listener(req, res);
  })) as typeof createServer;

/** The request id withPresetHeaders chose, from @hono/node-server's bindings. */
const presetRequestId = (bindings: unknown) =>
  (bindings as { incoming: IncomingMessage & { [REQUEST_ID]?: string } }).incoming[REQUEST_ID] as string;

const openStore = (config: AppConfig) =>
  openLibsqlStore({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN, migrationsFolder: MIGRATIONS });

/** Purges expired carts every PURGE_INTERVAL_MINUTES (0: never), in one process only. */
function purgeEvery(config: AppConfig, store: LibsqlStore, log: Logger) {
  if (config.PURGE_INTERVAL_MINUTES === 0) return;
  const purge = () => purgeExpired(store.db, Date.now(), undefined, undefined, purgeEventsOf(config));
  startPurgeTimer(purge, config.PURGE_INTERVAL_MINUTES * 60_000, log);
}

/**
 * On SIGTERM/SIGINT: stop accepting, let in-flight requests finish (idle
 * keep-alive connections are closed at once), close the store, exit 0. Past
 * the grace period the remaining connections are cut and the exit code is 1.
 */
function stopGracefully(server: ServerType, store: LibsqlStore, log: Logger, dispatcher?: Dispatcher) {
  const stop = (signal: string) => {
    log.info('stopping', { signal });
    sink.flush();
    const force = setTimeout(() => {
      log.warn('requests still running after the grace period; closing them', { graceMs: SHUTDOWN_GRACE_MS });
      if ('closeAllConnections' in server) server.closeAllConnections();
      store.close();
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    const stopped = dispatcher?.stop() ?? Promise.resolve();
    server.close(() => {
      // Deliveries in flight are recorded before the store closes.
      void stopped.then(() => {
        store.close();
        log.info('stopped');
        process.exit(0);
      });
    });
    // A keep-alive connection goes idle once its last response is sent: close it then, not at keepAliveTimeout.
    const idle = setInterval(() => {
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    }, 100);
    idle.unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** One server process: the store opened once, the app over it. */
async function serveProcess(config: AppConfig, log: Logger, withPurge: boolean) {
  const store = await openStore(config);
  const metrics = createMetrics();
  const appStore = storeOver(store.db);
  const dispatcher =
    config.WEBHOOK_URL === undefined ? undefined : startDispatcher({ events: appStore.events, config, log });
  const app = createApp({
    announce: () => dispatcher?.wake(),
    config,
    logger: log,
    store: () => appStore,
    clientAddress: nodeClientAddress(config.TRUST_PROXY),
    docsAssets: docsAssets(),
    observe: metrics.observe,
    metrics: metrics.render,
    compress: true,
    rateLimiter: nodeRateLimiter(config.RATE_LIMIT_PER_MINUTE),
    presetHeaders: presetRequestId,
  });
  if (withPurge) purgeEvery(config, store, log);
  const server = serve(
    {
      fetch: app.fetch,
      port: config.PORT,
      hostname: config.HOST,
      createServer: withPresetHeaders,
      // Slow or idle clients cannot hold a connection: headers within 10 s,
      // the whole request within 30 s, idle keep-alive closed after 5 s. Node
      // checks the first two every connectionsCheckingInterval (30 s by default).
      serverOptions: {
        headersTimeout: 10_000,
        requestTimeout: 30_000,
        keepAliveTimeout: 5_000,
        connectionsCheckingInterval: 1_000,
      },
    },
    (info) => log.info('listening', { address: info.address, port: info.port, pid: process.pid }),
  );
  stopGracefully(server, store, log, dispatcher);
}

/**
 * WEB_CONCURRENCY > 1: the primary applies migrations, runs the purge timer
 * and gathers metrics, then forks that many server processes sharing the port
 * (node:cluster) and the database file (WAL, busy timeout). A server process
 * that dies is replaced; SIGTERM stops them all gracefully.
 */
async function primary(config: AppConfig, log: Logger) {
  const store = await openStore(config);
  purgeEvery(config, store, log);
  serveClusterMetrics();
  serveClusterRateLimits();
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      log.error('server process died; starting another', { pid: worker.process.pid, code, signal });
      cluster.fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) {
      store.close();
      process.exit(0);
    }
  });
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) cluster.fork();
  const stop = (signal: string) => {
    stopping = true;
    log.info('stopping', { signal, processes: config.WEB_CONCURRENCY });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Log lines are written once per turn of the event loop, and at exit. */
const sink = bufferedSink();

async function main() {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    const log = createLogger('info');
    if (error instanceof ConfigError)
      for (const problem of error.problems) log.error(`invalid configuration: ${problem}`);
    else log.error(String(error));
    process.exit(1);
  }
  const log = createLogger(config.LOG_LEVEL, sink);
  try {
    await checkCustomerKey(config);
    if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) await primary(config, log);
    else await serveProcess(config, log, cluster.isPrimary);
  } catch (error) {
    // Known causes get one clear line; nothing prints a stack or a secret.
    const known = error instanceof StoreError || error instanceof ConfigError;
    log.error(known ? error.message : `cannot start: ${String(error)}`);
    process.exit(1);
  }
}

await main();
