// npm run bench: edgecart's production Node server against a hand-written
// baseline (bench/baseline.mjs) on the same engine, loaded by autocannon on
// the other core. Prints req/s, p50/p99, the ratio to the baseline and
// edgecart's peak RSS per scenario, then the scale, start-up and bundle figures.
// BENCH_DURATION (s, default 10) and BENCH_CONNECTIONS (default 64) adjust the runs.
import { execSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'libsql';
import { migrate, root, runLoad, startServer } from './harness.mjs';
import { seed } from './seed.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WARMUP = 2;
const work = mkdtempSync(join(tmpdir(), 'edgecart-bench-'));
const twoCores = Number(execSync('nproc').toString().trim()) >= 2;
const pin = (core, argv) => (twoCores ? ['taskset', '-c', String(core), ...argv] : argv);
let nextPort = 18_700;

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A migrated empty database file in the work folder. */
const migratedFile = (name) => migrate(join(work, name));

function start(kind, file, env = {}) {
  const port = nextPort++;
  const argv =
    kind === 'edgecart'
      ? [process.execPath, join(root, 'dist/node.js')]
      : [process.execPath, join(root, 'bench/baseline.mjs'), file, String(port)];
  // The server on core 0; a cluster of server processes is left to the scheduler.
  return startServer(env.WEB_CONCURRENCY ? argv : pin(0, argv), {
    file,
    port,
    env,
    probe: kind === 'edgecart' ? '/healthz' : '/api/cart-items/0',
  });
}

async function stop(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Peak resident memory of a process and its children (the cluster's server processes). */
function peakRssMb(pid) {
  const pids = [pid, ...execSync(`pgrep -P ${pid} || true`).toString().split('\n').filter(Boolean).map(Number)];
  let kb = 0;
  for (const p of pids) {
    const status = readFileSync(`/proc/${p}/status`, 'utf8');
    kb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}

const load = (url, scenario, fixture, duration) =>
  runLoad(work, { url, scenario, duration, connections: CONNECTIONS, fixture }, (argv) => pin(1, argv));

async function measure(kind, file, scenario, fixture, env) {
  const server = await start(kind, file, env);
  load(server.url, scenario, fixture, WARMUP);
  const result = load(server.url, scenario, fixture, DURATION);
  result.rssMb = peakRssMb(server.child.pid);
  await stop(server);
  return result;
}

const rows = [];
const print = (title, header, lines) => {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(header));
  for (const l of lines) console.log(line(l));
};

console.log(
  `edgecart benchmark: ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s of warm-up; ${twoCores ? 'server on core 0, load on core 1' : 'one core: server and load share it'}`,
);
execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });

// --- The scenarios, edgecart against the baseline, each on its own copy of one seeded database.
const main = await migratedFile('main.db');
const fixture = seed(main, { fillers: 9_000, tenLine: 1000, empty: 60_000, big: 200, small: 200 });
const scenarios = [
  ['classic-get', 'classic GET /api/cart-items/<id>', 0.7],
  ['v1-get', '/v1 GET of a 10-line cart', 0.7],
  ['v1-merge', '/v1 POST add-item that merges', 0.6],
  ['v1-new-line', '/v1 POST add-item, new line in a fresh cart', 0.6],
  ['mixed', 'mixed, read-mostly (80/10/5/5)', 0.6],
];
for (const [scenario, label, target] of scenarios) {
  const copies = ['edgecart', 'baseline'].map((kind) => {
    const file = join(work, `${scenario}-${kind}.db`);
    copyFileSync(main, file);
    return file;
  });
  const edge = await measure('edgecart', copies[0], scenario, fixture);
  const base = await measure('baseline', copies[1], scenario, fixture);
  rows.push({ scenario, label, target, edge, base });
}
print(
  'Scenarios (req/s mean; latency ms; ratio = edgecart / baseline)',
  ['scenario', 'edgecart req/s', 'p50', 'p99', 'baseline req/s', 'p50', 'p99', 'ratio', 'target', 'RSS MB', 'non-2xx'],
  rows.map(({ label, target, edge, base }) => [
    label,
    fmt(edge.rps),
    edge.p50,
    edge.p99,
    fmt(base.rps),
    base.p50,
    base.p99,
    fmt(edge.rps / base.rps, 2),
    `≥ ${target}${edge.rps / base.rps >= target ? ' ok' : ' MISSED'}`,
    fmt(edge.rssMb, 1),
    edge.non2xx + edge.errors,
  ]),
);

// --- Add-item into a 249-line cart against a 1-line cart (merges, so the line count stays).
const big = await measure('edgecart', main, 'merge-249', fixture);
const small = await measure('edgecart', main, 'merge-1', fixture);
print(
  'Add-item cost by cart size (edgecart)',
  ['cart', 'req/s', 'p50', 'p99', 'cost vs 1-line'],
  [
    ['1 line', fmt(small.rps), small.p50, small.p99, '1.00'],
    ['249 lines', fmt(big.rps), big.p50, big.p99, `${fmt(small.rps / big.rps, 2)} (target ≤ 2)`],
  ],
);

// --- Scale: the same GET and POST with 10 k and with 1 M carts in the database.
const scale = {};
for (const [name, fillers] of [
  ['10k', 9_000],
  ['1M', 999_000],
]) {
  const file = await migratedFile(`scale-${name}.db`);
  const t0 = performance.now();
  const f = seed(file, { fillers, tenLine: 1000 });
  const seedS = (performance.now() - t0) / 1000;
  scale[name] = {
    seedS,
    get: await measure('edgecart', file, 'v1-get', f),
    post: await measure('edgecart', file, 'v1-merge', f),
    file,
  };
}
print(
  'Scale (edgecart; 1 M carts against 10 k)',
  ['carts', 'seeded in s', 'GET req/s', 'POST req/s'],
  [
    ['10 k', fmt(scale['10k'].seedS, 1), fmt(scale['10k'].get.rps), fmt(scale['10k'].post.rps)],
    ['1 M', fmt(scale['1M'].seedS, 1), fmt(scale['1M'].get.rps), fmt(scale['1M'].post.rps)],
    [
      '1M / 10k',
      '',
      fmt(scale['1M'].get.rps / scale['10k'].get.rps, 2),
      fmt(scale['1M'].post.rps / scale['10k'].post.rps, 2),
    ],
  ],
);
const plans = new Database(scale['1M'].file);
console.log('\nQuery plans on the 1 M-cart database (every lookup by index):');
for (const [what, sql] of [
  ['cart by id', "SELECT * FROM carts WHERE id = 'x' AND (expires_at IS NULL OR expires_at > 0)"],
  ["a cart's lines", "SELECT * FROM cart_items WHERE cart_id = 'x' ORDER BY id"],
  [
    'the merge key',
    "SELECT quantity FROM cart_items WHERE cart_id = 'x' AND product_id = 'p' AND unit_price = 1 AND metadata = '{}'",
  ],
  [
    "a cart's line count and subtotal",
    "SELECT count(*), sum(unit_price * quantity) FROM cart_items WHERE cart_id = 'x'",
  ],
  ['expired carts (purge)', 'SELECT id FROM carts WHERE expires_at <= 0 ORDER BY expires_at LIMIT 500'],
]) {
  const detail = plans
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((r) => r.detail)
    .join('; ');
  console.log(`  ${what.padEnd(34)} ${detail}`);
}
plans.close();

// --- Two server processes (WEB_CONCURRENCY=2) against one.
if (twoCores) {
  const file = join(work, 'cluster.db');
  copyFileSync(main, file);
  const get = await measure('edgecart', file, 'v1-get', fixture, { WEB_CONCURRENCY: '2' });
  const post = await measure('edgecart', file, 'v1-merge', fixture, { WEB_CONCURRENCY: '2' });
  const one = rows.find((r) => r.scenario === 'v1-get').edge;
  const onePost = rows.find((r) => r.scenario === 'v1-merge').edge;
  print(
    'WEB_CONCURRENCY=2 (server processes unpinned, load on core 1: they share a core with it)',
    ['scenario', '1 process req/s', '2 processes req/s', 'scaling', 'RSS MB (all)'],
    [
      ['/v1 GET', fmt(one.rps), fmt(get.rps), fmt(get.rps / one.rps, 2), fmt(get.rssMb, 1)],
      ['/v1 POST merge', fmt(onePost.rps), fmt(post.rps), fmt(post.rps / onePost.rps, 2), fmt(post.rssMb, 1)],
    ],
  );
}

// --- Start-up and the Worker bundle.
const fresh = await migratedFile('startup.db');
const starts = [];
for (let i = 0; i < 5; i++) {
  const server = await start('edgecart', join(work, `startup-${i}.db`));
  starts.push(server.startMs);
  await stop(server);
}
rmSync(fresh);
const out = join(work, 'worker');
execSync(`npx wrangler deploy --dry-run --minify --outdir ${out}`, {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
const bundle = readdirSync(out).filter((f) => f.endsWith('.js'));
const raw = bundle.reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
const gz = bundle.reduce((sum, f) => sum + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
print(
  'Start-up and bundle',
  ['figure', 'value', 'target'],
  [
    ['start to first 200 (new database, median of 5)', `${fmt(starts.sort((a, b) => a - b)[2])} ms`, '≤ 1000 ms'],
    ['Worker bundle, minified', `${fmt(raw / 1024, 1)} KiB`, ''],
    ['Worker bundle, minified + gzip -9', `${fmt(gz / 1024, 1)} KiB`, '≤ 250 KiB'],
    [
      'edgecart peak RSS under load (max of the scenarios)',
      `${fmt(Math.max(...rows.map((r) => r.edge.rssMb)), 1)} MB`,
      '≤ 150 MB',
    ],
  ],
);
rmSync(work, { recursive: true, force: true });
