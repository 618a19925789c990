import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from '../lib/request-log.js';

export interface Metrics {
  observe(record: RequestRecord): void;
  /** The Prometheus text of this process, or of every server process under WEB_CONCURRENCY. */
  render(): Promise<{ contentType: string; body: string }>;
}

const ASK = 'edgecart:metrics';
const ANSWER = 'edgecart:metrics:answer';

/**
 * Request counts and latency histograms by method, route pattern and status,
 * plus Node's process metrics (prom-client). Under node:cluster a server
 * process asks the primary, which gathers every process's metrics.
 *
 * @example
 * const metrics = createMetrics();
 * const app = createApp({ ..., observe: metrics.observe, metrics: metrics.render });
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  if (cluster.isWorker) {
    // The primary's AggregatorRegistry collects from these registries; constructing
    // one here is what installs prom-client's listener that answers it.
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }

  return {
    observe: ({ method, route, status, durationMs }) => {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, durationMs / 1000);
    },
    render: async () => {
      if (!cluster.isWorker) return { contentType: registry.contentType, body: await registry.metrics() };
      return { contentType: registry.contentType, body: await askPrimary() };
    },
  };
}

let asked = 0;
function askPrimary(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary process did not answer for metrics'));
    }, 5000);
    const onMessage = (message: unknown) => {
      const answer = message as { type?: string; id?: number; body?: string };
      if (answer.type !== ANSWER || answer.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(answer.body ?? '');
    };
    process.on('message', onMessage);
    process.send?.({ type: ASK, id });
  });
}

/** In the primary: answers server processes' requests for the whole cluster's metrics. */
export function serveClusterMetrics() {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (body) => worker.send({ type: ANSWER, id: message.id, body }),
      (error: unknown) => worker.send({ type: ANSWER, id: message.id, body: `# error: ${String(error)}\n` }),
    );
  });
}
