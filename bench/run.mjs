// npm run bench: edgecart's production Node server, in its default
// configuration (request ids, a log line per request written to /dev/null,
// metrics on), against floors measured in the same run on the same engine:
// bare node:http and a minimal Hono app for /healthz, and a hand-written
// node:http + libSQL server (bench/baseline.mjs) for the cart routes. wrk
// loads each on the other core. Each figure is the median of BENCH_ROUNDS
// rounds (default 3) that alternate which server runs first.
// BENCH_DURATION (s a run, default 8) and BENCH_CONNECTIONS (default 64) adjust the runs;
// BENCH_EXTRAS=0 stops after the target table.
import { execSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'libsql';
import { migrate, root, startServer } from './harness.mjs';
import { seed } from './seed.mjs';
import { haveWrk, runWrk, warmupOf } from './wrk.mjs';

const SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
// Warm-up: one-second runs until the server has settled (V8 compiles its hot
// code on the one core the server is pinned to, which takes edgecart several
// seconds under load: until then a few connections wait up to a second and
// would decide every p99). Settled: a run's p99 within 4× its p50 and its
// req/s within 10% of the run before; at least WARMUP_MIN runs, at most WARMUP_MAX.
const WARMUP_MIN = 2;
const WARMUP_MAX = 12;
if (!haveWrk()) {
  console.error('npm run bench needs wrk (Debian: apt-get install wrk).');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'edgecart-bench-'));
const twoCores = Number(execSync('nproc').toString().trim()) >= 2;
const pin = (core, argv) => (twoCores ? ['taskset', '-c', String(core), ...argv] : argv);
let nextPort = 18_700;

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The servers a scenario compares. Every one answers on 127.0.0.1:port. */
const KINDS = {
  edgecart: () => [process.execPath, join(root, 'dist/node.js')],
  baseline: (file, port) => [process.execPath, join(root, 'bench/baseline.mjs'), file, String(port)],
  hono: (_file, port) => [process.execPath, join(root, 'bench/floor-hono.mjs'), String(port)],
  bare: (_file, port) => [process.execPath, join(root, 'bench/floor-bare.mjs'), String(port)],
};

function start(kind, file, env = {}) {
  const port = nextPort++;
  const argv = KINDS[kind](file, port);
  // The server on core 0; a cluster of server processes is left to the scheduler.
  return startServer(env.WEB_CONCURRENCY ? argv : pin(0, argv), {
    file,
    port,
    // edgecart as deployed: LOG_LEVEL's default (info, a line per request), stdout to /dev/null.
    env: kind === 'edgecart' ? { LOG_LEVEL: 'info', ...env } : env,
    probe: kind === 'baseline' ? '/api/cart-items/0' : '/healthz',
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

const load = (url, scenario, fixture, seconds) =>
  runWrk(work, { url, scenario, fixture, seconds, connections: CONNECTIONS }, (argv) => pin(1, argv));

/**
 * One run of one server on its own copy of `source` (or on `source` itself:
 * copying a 1 M-cart file evicts the page cache the run should start with),
 * warm-up first, then the measured run.
 */
async function measureOnce(kind, source, scenario, fixture, env, { inPlace = false } = {}) {
  const file = inPlace ? source : join(work, `run-${nextPort}.db`);
  if (!inPlace) copyFileSync(source, file);
  const server = await start(kind, file, env);
  const warmups = [];
  for (let previous; warmups.length < WARMUP_MAX; ) {
    const run = load(server.url, warmupOf(scenario), fixture, 1);
    warmups.push(run);
    const settled = run.p99 <= 4 * run.p50 && previous !== undefined && Math.abs(run.rps / previous.rps - 1) <= 0.1;
    if (settled && warmups.length >= WARMUP_MIN) break;
    previous = run;
  }
  const result = load(server.url, scenario, fixture, SECONDS);
  result.rssMb = peakRssMb(server.child.pid);
  result.warmupS = warmups.length;
  await stop(server);
  if (!inPlace) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return result;
}

/**
 * Every kind over ROUNDS rounds, alternating the order; the median of each
 * figure per kind, and the median over the rounds of edgecart's ratio to
 * `floor` (runs of one round are seconds apart, so their ratio is the
 * steadiest figure on a machine whose speed drifts).
 */
async function compare(kinds, source, scenario, fixture, floor) {
  const runs = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) runs[kind].push(await measureOnce(kind, source, scenario, fixture));
  }
  const ratios = runs.edgecart.map((run, i) => run.rps / runs[floor][i].rps);
  return Object.fromEntries(
    kinds.map((kind) => {
      const r = runs[kind];
      return [
        kind,
        {
          rps: median(r.map((x) => x.rps)),
          p50: median(r.map((x) => x.p50)),
          p99: median(r.map((x) => x.p99)),
          rssMb: Math.max(...r.map((x) => x.rssMb)),
          non2xx: r.reduce((sum, x) => sum + x.non2xx + x.errors, 0),
          spread: r.map((x) => Math.round(x.rps)),
          warmups: r.map((x) => x.warmupS),
          ratio: median(ratios),
          ratios,
        },
      ];
    }),
  );
}

const print = (title, header, lines) => {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(header));
  for (const l of lines) console.log(line(l));
};

console.log(
  `edgecart benchmark: wrk, ${CONNECTIONS} connections, ${SECONDS} s a run after ${WARMUP_MIN}–${WARMUP_MAX} s of warm-up (until settled), median of ${ROUNDS} rounds; ${twoCores ? 'server on core 0, load on core 1' : 'one core: server and load share it'}`,
);
execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });

// --- The scenarios of the target table, each server on its own copy of one seeded database.
const main = await migrate(join(work, 'main.db'));
const fixture = seed(main, { fillers: 9_000, tenLine: 1000, empty: 60_000, big: 200, small: 200 });
const TARGETS = [
  ['healthz', '/healthz vs the minimal Hono app', 'hono', 0.75, ['edgecart', 'hono', 'bare']],
  ['classic-get', 'classic GET by id vs bare', 'baseline', 0.5],
  ['v1-get', '/v1 GET of a 10-line cart vs bare', 'baseline', 0.7],
  ['v1-merge', '/v1 POST merge vs bare', 'baseline', 0.5],
  ['v1-new-line', '/v1 POST new line vs bare', 'baseline', undefined],
  ['mixed', 'mixed, read-mostly (80/10/5/5) vs bare', 'baseline', undefined],
];
const rows = [];
// BENCH_TARGETS=0 skips this table (to rerun a later section alone).
for (const [scenario, label, floor, target, kinds = ['edgecart', floor]] of process.env.BENCH_TARGETS === '0'
  ? []
  : TARGETS) {
  const result = await compare(kinds, main, scenario, fixture, floor);
  rows.push({ scenario, label, floor, target, result });
}
const P99_TARGET = 25;
const RSS_TARGET = 150;
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
if (rows.length > 0) {
  print(
    'Against the floors (req/s and latency in ms: medians of the rounds; ratio: median of the rounds’ edgecart / floor)',
    ['figure', 'edgecart req/s', 'p50', 'p99', 'floor', 'floor req/s', 'p99', 'ratio', 'target', 'RSS MB', 'non-2xx'],
    rows.map(({ label, floor, target, result }) => {
      const edge = result.edgecart;
      const base = result[floor];
      const ratio = edge.ratio;
      return [
        label,
        fmt(edge.rps),
        fmt(edge.p50, 2),
        fmt(edge.p99, 2),
        floor === 'baseline' ? 'bare (baseline.mjs)' : 'minimal Hono',
        fmt(base.rps),
        fmt(base.p99, 2),
        fmt(ratio, 2),
        target === undefined ? '—' : `≥ ${target} ${verdict(ratio >= target)}`,
        fmt(edge.rssMb, 1),
        edge.non2xx,
      ];
    }),
  );
  const healthz = rows[0].result;
  console.log(
    `\n/healthz floors in the same rounds: bare node:http ${fmt(healthz.bare.rps)} req/s, minimal Hono ${fmt(healthz.hono.rps)} (${fmt(healthz.hono.rps / healthz.bare.rps, 2)} of bare), edgecart ${fmt(healthz.edgecart.rps)} (${fmt(healthz.edgecart.rps / healthz.bare.rps, 2)} of bare).`,
  );
  const worstP99 = Math.max(...rows.map((r) => r.result.edgecart.p99));
  const peakRss = Math.max(...rows.map((r) => r.result.edgecart.rssMb));
  print(
    'Targets',
    ['figure', 'value', 'target'],
    [
      [
        'p99, every scenario (worst)',
        `${fmt(worstP99, 2)} ms`,
        `≤ ${P99_TARGET} ms ${verdict(worstP99 <= P99_TARGET)}`,
      ],
      ['peak RSS under load', `${fmt(peakRss, 1)} MB`, `≤ ${RSS_TARGET} MB ${verdict(peakRss <= RSS_TARGET)}`],
    ],
  );
  console.log('\nreq/s of each round (edgecart / floor = ratio):');
  for (const { scenario, floor, result } of rows) {
    const rounds = result.edgecart.spread.map(
      (rps, i) => `${rps}/${result[floor].spread[i]} = ${fmt(result.edgecart.ratios[i], 2)}`,
    );
    console.log(
      `  ${scenario.padEnd(12)} ${rounds.join(';  ')}  (edgecart warm-up s: ${result.edgecart.warmups.join(', ')})`,
    );
  }
}

// --- Catalog prices and checkout: the add priced from the catalog against the
// same add with client prices, a checkout of a 10-line cart beside them, and
// the same checkouts while the webhook receiver never answers (deliveries
// hang 10 s each): requests must not notice.
const shop = await migrate(join(work, 'shop.db'));
const shopFixture = seed(shop, { fillers: 9_000, tenLine: 1000, catalogTenLine: 1000, checkout: 40_000 });
const hanging = createNetServer(() => {});
await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
const hooked = {
  PRICES: 'catalog',
  WEBHOOK_URL: `http://127.0.0.1:${hanging.address().port}/hook`,
  WEBHOOK_SECRET: `whsec_${Buffer.from('benchmark webhook secret, 32 b!!').toString('base64')}`,
};
// A store that ships (API.md §10): an active rate, carts with an address and a selected delivery.
const shipping = await migrate(join(work, 'shipping.db'));
const shippingFixture = seed(shipping, { fillers: 9_000, tenLine: 0, shippedTenLine: 1000, shippedCheckout: 40_000 });
// The same store with tax (API.md §11): two stacked rates for the carts' country, read by a server with TAX=rates.
const taxed = await migrate(join(work, 'taxed.db'));
const taxedFixture = seed(taxed, { fillers: 9_000, tenLine: 0, shippedTenLine: 1000, taxRates: true });
// The shop with every product tracked (README, Stock): checkout with INVENTORY=track, adds with INVENTORY=reserve.
const stocked = await migrate(join(work, 'stocked.db'));
const stockedFixture = seed(stocked, {
  fillers: 9_000,
  tenLine: 1000,
  catalogTenLine: 1000,
  checkout: 40_000,
  stock: true,
});
const shopRuns = {
  client: [],
  catalog: [],
  checkout: [],
  hanging: [],
  read: [],
  shippedRead: [],
  shippedCheckout: [],
  taxedRead: [],
  trackedCheckout: [],
  reservedAdd: [],
};
for (let round = 0; round < ROUNDS; round++) {
  shopRuns.client.push(await measureOnce('edgecart', shop, 'v1-merge', shopFixture, { PRICES: 'client' }));
  shopRuns.catalog.push(await measureOnce('edgecart', shop, 'v1-merge-catalog', shopFixture, { PRICES: 'catalog' }));
  shopRuns.checkout.push(await measureOnce('edgecart', shop, 'checkout', shopFixture, { PRICES: 'catalog' }));
  shopRuns.shippedCheckout.push(
    await measureOnce('edgecart', shipping, 'checkout-shipped', shippingFixture, { PRICES: 'catalog' }),
  );
  shopRuns.hanging.push(await measureOnce('edgecart', shop, 'checkout', shopFixture, hooked));
  shopRuns.read.push(await measureOnce('edgecart', shop, 'v1-get', shopFixture));
  shopRuns.shippedRead.push(await measureOnce('edgecart', shipping, 'v1-get-shipped', shippingFixture));
  shopRuns.taxedRead.push(await measureOnce('edgecart', taxed, 'v1-get-shipped', taxedFixture, { TAX: 'rates' }));
  shopRuns.trackedCheckout.push(
    await measureOnce('edgecart', stocked, 'checkout', stockedFixture, { PRICES: 'catalog', INVENTORY: 'track' }),
  );
  shopRuns.reservedAdd.push(
    await measureOnce('edgecart', stocked, 'v1-merge', stockedFixture, { PRICES: 'client', INVENTORY: 'reserve' }),
  );
}
hanging.close();
const med = (runs, key) => median(runs.map((r) => r[key]));
const catalogRatio = median(shopRuns.catalog.map((r, i) => r.rps / shopRuns.client[i].rps));
const hangP99 = med(shopRuns.hanging, 'p99');
const shippedReadRatio = median(shopRuns.shippedRead.map((r, i) => r.rps / shopRuns.read[i].rps));
const shippedCheckoutRatio = median(shopRuns.shippedCheckout.map((r, i) => r.rps / shopRuns.checkout[i].rps));
const taxedReadRatio = median(shopRuns.taxedRead.map((r, i) => r.rps / shopRuns.read[i].rps));
const calmP99 = med(shopRuns.checkout, 'p99');
const trackedCheckoutRatio = median(shopRuns.trackedCheckout.map((r, i) => r.rps / shopRuns.checkout[i].rps));
const reservedAddRatio = median(shopRuns.reservedAdd.map((r, i) => r.rps / shopRuns.client[i].rps));
/** A row of the table: the runs' medians, their non-2xx total, and the figure and target it checks, if any. */
const shopRow = (label, runs, figure = '', target = '') => [
  label,
  fmt(med(runs, 'rps')),
  fmt(med(runs, 'p50'), 2),
  fmt(med(runs, 'p99'), 2),
  runs.reduce((n, r) => n + r.non2xx, 0),
  figure,
  target,
];
print(
  'Catalog prices and checkout (edgecart; medians of the rounds)',
  ['scenario', 'req/s', 'p50', 'p99', 'non-2xx', 'figure', 'target'],
  [
    shopRow('/v1 POST merge, PRICES=client', shopRuns.client),
    shopRow(
      '/v1 POST merge, PRICES=catalog',
      shopRuns.catalog,
      `${fmt(catalogRatio, 2)} of client`,
      `≥ 0.85 ${verdict(catalogRatio >= 0.85)}`,
    ),
    shopRow('checkout of a 10-line cart', shopRuns.checkout),
    shopRow(
      'checkout, every line tracked (INVENTORY=track)',
      shopRuns.trackedCheckout,
      `${fmt(trackedCheckoutRatio, 2)} of checkout`,
      `≥ 0.8 ${verdict(trackedCheckoutRatio >= 0.8)}`,
    ),
    shopRow(
      '/v1 POST merge, INVENTORY=reserve (tracked, 1,000 carts hold it)',
      shopRuns.reservedAdd,
      `${fmt(reservedAddRatio, 2)} of client`,
      `≥ 0.8 ${verdict(reservedAddRatio >= 0.8)}`,
    ),
    shopRow(
      'checkout, receiver hanging 10 s',
      shopRuns.hanging,
      `p99 ${fmt(hangP99 / calmP99, 2)}× without`,
      `≤ 1.2× ${verdict(hangP99 <= calmP99 * 1.2)}`,
    ),
    shopRow(
      'checkout with a delivery (a store that ships)',
      shopRuns.shippedCheckout,
      `${fmt(shippedCheckoutRatio, 2)} of checkout`,
      `≥ 0.8 ${verdict(shippedCheckoutRatio >= 0.8)}`,
    ),
    shopRow('/v1 GET of a 10-line cart', shopRuns.read),
    shopRow(
      '/v1 GET, 10 lines + address + delivery + code',
      shopRuns.shippedRead,
      `${fmt(shippedReadRatio, 2)} of plain`,
      `≥ 0.8 ${verdict(shippedReadRatio >= 0.8)}`,
    ),
    shopRow(
      '/v1 GET, the same with TAX=rates (two stacked rates)',
      shopRuns.taxedRead,
      `${fmt(taxedReadRatio, 2)} of plain`,
      `≥ 0.8 ${verdict(taxedReadRatio >= 0.8)}`,
    ),
  ],
);

console.log(
  `\nreq/s of each round (warm-up s): ${Object.entries(shopRuns)
    .map(([name, runs]) => `${name} ${runs.map((r) => `${Math.round(r.rps)} (${r.warmupS})`).join(', ')}`)
    .join(';  ')}`,
);

// BENCH_EXTRAS=0: the tables above only (a quicker run while working on speed).
if (process.env.BENCH_EXTRAS === '0') {
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

// --- Add-item into a 249-line cart against a 1-line cart (merges, so the line count stays).
const big = await measureOnce('edgecart', main, 'merge-249', fixture);
const small = await measureOnce('edgecart', main, 'merge-1', fixture);
print(
  'Add-item cost by cart size (edgecart, one run each)',
  ['cart', 'req/s', 'p50', 'p99', 'cost vs 1-line'],
  [
    ['1 line', fmt(small.rps), small.p50, small.p99, '1.00'],
    ['249 lines', fmt(big.rps), big.p50, big.p99, fmt(small.rps / big.rps, 2)],
  ],
);

// --- Scale: the same GET and POST with 10 k and with 1 M carts in the database.
const scale = {};
for (const [name, fillers] of [
  ['10k', 9_000],
  ['1M', 999_000],
]) {
  const file = await migrate(join(work, `scale-${name}.db`));
  const t0 = performance.now();
  const f = seed(file, { fillers, tenLine: 1000 });
  const seedS = (performance.now() - t0) / 1000;
  scale[name] = {
    seedS,
    get: await measureOnce('edgecart', file, 'v1-get', f, {}, { inPlace: true }),
    post: await measureOnce('edgecart', file, 'v1-merge', f, {}, { inPlace: true }),
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
  ['cart by id', "SELECT * FROM carts WHERE id = 'x' AND NOT (expires_at IS NOT NULL AND expires_at <= 0)"],
  ["a cart's lines", "SELECT * FROM cart_items WHERE cart_id = 'x' ORDER BY id"],
  [
    'the merge key',
    "SELECT quantity FROM cart_items WHERE cart_id = 'x' AND product_id = 'p' AND unit_price = 1 AND metadata = '{}'",
  ],
  [
    "a cart's line count and subtotal",
    "SELECT count(*), total(unit_price * quantity) FROM cart_items WHERE cart_id = 'x'",
  ],
  [
    'expired carts (purge)',
    'SELECT id FROM carts WHERE (NOT (expires_at IS NULL) AND expires_at <= 0) ORDER BY expires_at LIMIT 500',
  ],
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
  const get = await measureOnce('edgecart', main, 'v1-get', fixture, { WEB_CONCURRENCY: '2' });
  const post = await measureOnce('edgecart', main, 'v1-merge', fixture, { WEB_CONCURRENCY: '2' });
  const one = rows.find((r) => r.scenario === 'v1-get').result.edgecart;
  const onePost = rows.find((r) => r.scenario === 'v1-merge').result.edgecart;
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
const starts = [];
for (let i = 0; i < 5; i++) {
  const server = await start('edgecart', join(work, `startup-${i}.db`));
  starts.push(server.startMs);
  await stop(server);
}
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
    ['start to first 200 (new database, median of 5)', `${fmt(median(starts))} ms`, '≤ 1000 ms'],
    ['Worker bundle, minified', `${fmt(raw / 1024, 1)} KiB`, ''],
    ['Worker bundle, minified + gzip -9', `${fmt(gz / 1024, 1)} KiB`, '≤ 250 KiB'],
  ],
);
rmSync(work, { recursive: true, force: true });
