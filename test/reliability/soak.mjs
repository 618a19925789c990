// npm run soak: the mixed workload at about half of the measured capacity for
// SOAK_SECONDS (default 600); prints the error count and the server's RSS at
// the start and the end. Goal: 0 errors, RSS growth under 10%.
// Prints one JSON line last, for test/reliability/soak.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, root, runLoad, startServer } from '../../bench/harness.mjs';
import { seed } from '../../bench/seed.mjs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const work = mkdtempSync(join(tmpdir(), 'edgecart-soak-'));
const file = await migrate(join(work, 'cart.db'));
const fixture = seed(file, { fillers: 5_000, tenLine: 1_000, empty: 100_000 });

// The purge timer runs every minute, as part of the workload.
const server = await startServer([process.execPath, join(root, 'dist/node.js')], {
  file,
  port: 18_600 + Math.floor(Math.random() * 300),
  env: { PURGE_INTERVAL_MINUTES: '1' },
});
const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const load = (duration, rate) =>
  runLoad(work, { url: server.url, scenario: 'mixed', duration, connections: 32, fixture, rate });

const capacity = load(5).rps;
const rate = Math.max(50, Math.round(capacity / 2));
load(5, rate); // warm-up at the soak rate
const rssStart = rssMb();
console.log(
  `soak: capacity ${Math.round(capacity)} req/s; running ${seconds} s at ${rate} req/s; RSS at start ${rssStart.toFixed(1)} MB`,
);
const result = load(seconds, rate);
const rssEnd = rssMb();
const errors = result.errors + result.non2xx;
console.log(
  `soak: ${Math.round(result.rps * seconds)} requests, ${errors} errors (codes ${JSON.stringify(result.codes)}), p99 ${result.p99} ms; RSS ${rssStart.toFixed(1)} MB -> ${rssEnd.toFixed(1)} MB (${(((rssEnd - rssStart) / rssStart) * 100).toFixed(1)}%)`,
);
console.log(JSON.stringify({ seconds, rate, requests: Math.round(result.rps * seconds), errors, rssStart, rssEnd }));
server.child.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });
