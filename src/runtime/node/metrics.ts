import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, type Metric, Registry } from 'prom-client';
import type { RequestRecord } from '../../platform/request-context.js';

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
  const requests = new RequestSeries();
  registry.registerMetric(requests.counter('http_requests_total', 'HTTP requests answered'));
  registry.registerMetric(requests.histogram('http_request_duration_seconds', 'Time from request to response'));
  if (cluster.isWorker) {
    // The primary's AggregatorRegistry collects from these registries; constructing
    // one here is what installs prom-client's listener that answers it.
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }

  return {
    observe: ({ method, route, status, durationMs }) => requests.observe(method, route, status, durationMs / 1000),
    render: async () => {
      if (!cluster.isWorker) return { contentType: registry.contentType, body: await registry.metrics() };
      return { contentType: registry.contentType, body: await askPrimary() };
    },
  };
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Series {
  labels: { method: string; route: string; status: string };
  count: number;
  sum: number;
  /** Observations per bucket (not yet cumulative); the last is past every bound. */
  buckets: number[];
}

/**
 * Request counts and durations by method, route and status, counted as they
 * come and handed to prom-client's registry (its text format, process metrics
 * and cluster aggregation) as a counter and a histogram when scraped.
 * prom-client's own Counter and Histogram hash and validate the labels of
 * every observation, a measurable share of a trivial request's CPU.
 */
class RequestSeries {
  readonly #series = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number) {
    const key = `${method} ${status} ${route}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = {
        labels: { method, route, status: String(status) },
        count: 0,
        sum: 0,
        buckets: BUCKETS.map(() => 0).concat(0),
      };
      this.#series.set(key, series);
    }
    series.count++;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > (BUCKETS[bucket] as number)) bucket++;
    series.buckets[bucket] = (series.buckets[bucket] ?? 0) + 1;
  }

  counter(name: string, help: string): Metric {
    return this.#metric(name, help, 'counter', () =>
      [...this.#series.values()].map((series) => ({ labels: series.labels, value: series.count })),
    );
  }

  histogram(name: string, help: string): Metric {
    return this.#metric(name, help, 'histogram', () =>
      [...this.#series.values()].flatMap((series) => {
        let cumulative = 0;
        const bounds = [...BUCKETS.map(String), '+Inf'];
        return [
          ...bounds.map((le, i) => {
            cumulative += series.buckets[i] ?? 0;
            return { metricName: `${name}_bucket`, labels: { le, ...series.labels }, value: cumulative };
          }),
          { metricName: `${name}_sum`, labels: series.labels, value: series.sum },
          { metricName: `${name}_count`, labels: series.labels, value: series.count },
        ];
      }),
    );
  }

  #metric(name: string, help: string, type: 'counter' | 'histogram', values: () => unknown[]): Metric {
    const metric = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => this.#series.clear(),
    };
    return metric as unknown as Metric;
  }
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
