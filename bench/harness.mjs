// What the benchmark and the soak share: a migrated database, the built server
// on a port, and a run of the load generator.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Makes `file` a migrated, empty database through edgecart's own start-up code. */
export async function migrate(file) {
  const { openLibsqlStore } = await import(join(root, 'dist/runtime/node/libsql.js'));
  (await openLibsqlStore({ url: `file:${file}` })).close();
  return file;
}

const started = new Set();
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/**
 * Spawns `argv` with the environment edgecart reads (quiet log, no purge
 * timer unless `env` says otherwise) and waits until `probe` answers.
 * Killed with this process if still running.
 */
export async function startServer(argv, { file, port, env = {}, probe = '/healthz' }) {
  const began = performance.now();
  const child = spawn(argv[0], argv.slice(1), {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${file}`,
      LOG_LEVEL: 'warn',
      PURGE_INTERVAL_MINUTES: '0',
      // The scenarios send their own prices (the catalog path is measured on its own).
      PRICES: 'client',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      await (await fetch(`${url}${probe}`)).arrayBuffer();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return { url, child, startMs: performance.now() - began };
}

/** One run of bench/load.mjs (its config through a file in `work`); `wrap` may pin it to a core. */
export function runLoad(work, config, wrap = (argv) => argv) {
  const path = join(work, 'load.json');
  writeFileSync(path, JSON.stringify(config));
  const argv = wrap([process.execPath, join(root, 'bench/load.mjs'), path]);
  return JSON.parse(execFileSync(argv[0], argv.slice(1), { maxBuffer: 1 << 26 }).toString());
}
