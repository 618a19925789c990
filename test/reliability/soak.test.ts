import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The short soak CI runs; `npm run soak` runs the same for ten minutes.
it('serves a mixed workload at half capacity without an error or runaway memory', { timeout: 120_000 }, () => {
  const script = fileURLToPath(new URL('./soak.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script], { env: { ...process.env, SOAK_SECONDS: '30' } }).toString();
  console.log(out.trim());
  const summary = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    errors: number;
    requests: number;
    rssStart: number;
    rssEnd: number;
  };
  expect(summary.requests).toBeGreaterThan(1000);
  expect(summary.errors).toBe(0);
  // Thirty seconds is short for a memory trend; this only catches a runaway.
  expect(summary.rssEnd).toBeLessThan(summary.rssStart * 1.3);
});
