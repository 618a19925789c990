import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { storeOver } from '../../src/data/store.js';
import { queryErrorLogCases } from '../cases/log-hygiene.cases.js';
import { nodeApp } from './app.js';
import { describeServer, freePort, type RunningServer, runToExit, startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-ops-'));
const running: RunningServer[] = [];
const sockets: Server[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop('SIGKILL')));
  for (const socket of sockets) socket.close();
  rmSync(dir, { recursive: true, force: true });
});
const start = async (env: Record<string, string>) => {
  const server = await startServer({ DATABASE_URL: `file:${join(dir, `${running.length}.db`)}`, ...env });
  running.push(server);
  return server;
};
const json = { 'content-type': 'application/json' };
const logLines = (server: RunningServer) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describeServer('logs', () => {
  it('writes one JSON line per request with route pattern, status and duration; no body, no token', async () => {
    const token = 'log-test-admin-token-0123456789';
    const server = await start({ LOG_LEVEL: 'info', ADMIN_TOKEN: token });
    const created = await fetch(`${server.url}/v1/carts`, {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ metadata: { secret_note: 'do-not-log-me' } }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`${server.url}/v1/carts/${id}`);
    await fetch(`${server.url}/v1/admin/carts`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const requests = logLines(server).filter((line) => line.message === 'request');
    expect(requests).toContainEqual(
      expect.objectContaining({
        level: 'info',
        requestId: 'trace-abc-123',
        method: 'POST',
        route: '/v1/carts',
        status: 201,
      }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'GET', route: '/v1/carts/:cartId', status: 200 }),
    );
    for (const line of requests) {
      expect(typeof line.time).toBe('string');
      expect(typeof line.durationMs).toBe('number');
    }
    expect(server.output()).not.toContain('do-not-log-me');
    expect(server.output()).not.toContain(token);
    expect(server.output()).not.toContain(id.slice(4));
  });

  it('writes no request lines at LOG_LEVEL=warn', async () => {
    const server = await start({ LOG_LEVEL: 'warn', PORT: String(await freePort()) });
    await fetch(`${server.url}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logLines(server).filter((line) => line.message === 'request')).toEqual([]);
  });
});

describeServer('GET /metrics', () => {
  const count = (text: string, labels: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`http_requests_total{${labels}}`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };

  it('serves Prometheus text: request counts and latency histograms by route and status, and process metrics', async () => {
    const server = await start({});
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/v1/carts`, { method: 'POST' });
    await fetch(`${server.url}/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(count(text, 'method="POST",route="/v1/carts",status="201"')).toBe(3);
    expect(count(text, 'method="GET",route="/v1/carts/:cartId",status="404"')).toBe(1);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/carts",status="201"\} \d+/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('gathers every process under WEB_CONCURRENCY', async () => {
    const server = await start({ WEB_CONCURRENCY: '2' });
    for (let i = 0; i < 20; i++)
      await fetch(`${server.url}/v1/carts`, { method: 'POST', headers: { connection: 'close' } });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(count(text, 'method="POST",route="/v1/carts",status="201"')).toBe(20);
  });

  it('needs the admin token while ADMIN_TOKEN is set', async () => {
    const server = await start({ ADMIN_TOKEN: 'metrics-admin-token-0123456789' });
    const bare = await fetch(`${server.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(403);
    const refused = await wrong.text();
    expect(JSON.parse(refused)).toMatchObject({ type: '/problems/forbidden', status: 403 });
    expect(refused).not.toContain('http_requests_total');
    expect(refused).not.toContain('metrics-admin-token');
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-admin-token-0123456789' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_requests_total');
  });
});

describeServer('graceful shutdown', () => {
  it('lets a request in flight at SIGTERM finish, refuses new connections, exits 0', { timeout: 20_000 }, async () => {
    const server = await start({});
    const { port } = new URL(server.url);
    const body = JSON.stringify({ currency: 'EUR', metadata: { note: 'slow' } });
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/carts',
          headers: { ...json, 'content-length': body.length },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after SIGTERM: the request is in flight when the signal lands.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 400);
      }, 200);
    });
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const answered = await reply;
    expect(answered.status).toBe(201);
    expect(JSON.parse(answered.text).currency).toBe('EUR');
    expect(await exit).toBe(0);
    expect(server.output()).toContain('"message":"stopped"');
  });
});

describeServer('compression', () => {
  it('leaves cart responses uncompressed so their ETag stays strong for If-Match', async () => {
    const server = await start({});
    const created = await fetch(`${server.url}/v1/carts`, { method: 'POST', headers: { 'accept-encoding': 'gzip' } });
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(`${server.url}/v1/carts/${id}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(read.headers.get('content-encoding')).toBeNull();
    const etag = read.headers.get('etag') ?? '';
    expect(etag).toBe('"1"');
    const changed = await fetch(`${server.url}/v1/carts/${id}/items`, {
      method: 'POST',
      headers: { ...json, 'if-match': etag, 'accept-encoding': 'gzip' },
      body: JSON.stringify({ product_id: 'p', name: 'P', unit_price: 1 }),
    });
    expect(changed.status).toBe(201);
  });

  it('gzips large responses for clients that accept it', async () => {
    const server = await start({});
    const res = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${server.url}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (chunk: Buffer) => chunks.push(chunk));
        r.on('end', () => resolve({ encoding: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(res.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString()).openapi).toBe('3.1.0');
  });
});

describeServer('a store that cannot be used stops the start with one clear line and exit 1', () => {
  it('a remote libSQL server that refuses connections', async () => {
    const { code, output } = await runToExit({
      DATABASE_URL: 'http://127.0.0.1:9/?authToken=zzz-secret',
      DATABASE_AUTH_TOKEN: 'tok-secret-123',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/cannot open the database at http:\/\/127\.0\.0\.1:9/);
    expect(output).not.toMatch(/secret/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('a remote libSQL server that never answers: no hang', { timeout: 30_000 }, async () => {
    const silent = createServer(() => {});
    sockets.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = Date.now();
    const { code, output } = await runToExit({
      DATABASE_URL: `libsql://127.0.0.1:${port}`,
      DATABASE_AUTH_TOKEN: 'tok-secret-123',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/(no answer from|cannot open) the database at/);
    expect(output).not.toContain('tok-secret-123');
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('a data folder that cannot be created', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const { code, output } = await runToExit({ DATABASE_URL: `file:${file}/cart.db` });
    expect(code).toBe(1);
    expect(output).toContain(`cannot use the folder ${file} for the database: E`);
  });
});

const opened = await nodeApp();
queryErrorLogCases(() => storeOver(opened.db));
