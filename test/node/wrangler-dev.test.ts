import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeServer, freePort } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/**
 * The Worker as `wrangler dev` serves it, asset layer included (the workerd
 * test pool has none): every answer, look-alike asset paths too, comes from
 * the Worker with its headers, never from the asset layer's bare redirects.
 */
describeServer('wrangler dev', () => {
  let child: ChildProcess;
  let url = '';
  let log = '';
  const state = mkdtempSync(join(tmpdir(), 'edgecart-wrangler-'));

  beforeAll(async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      [WRANGLER, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--log-level', 'error'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: 'false',
          CLOUDFLARE_CF_FETCH_ENABLED: 'false',
          XDG_CONFIG_HOME: join(state, 'config'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer:\n${log}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(state, { recursive: true, force: true });
  });

  it('answers look-alike asset paths (a doubled or an encoded slash) from the Worker, with its headers', async () => {
    const [file] = readdirSync(join(ROOT, 'public', 'docs', 'assets'));
    expect(file).toBeDefined();
    const served = await fetch(`${url}/docs/assets/${file}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-request-id')).not.toBeNull();
    for (const path of [`/docs//assets/${file}`, `/docs/%2Fassets/${file}`, `/docs/assets//${file}`]) {
      const reply = await fetch(`${url}${path}`, { redirect: 'manual' });
      expect(reply.status, path).toBe(404);
      expect(reply.headers.get('x-request-id'), path).not.toBeNull();
      expect(reply.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
