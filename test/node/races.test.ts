import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import type { Fetcher } from '../cases/client.js';
import { raceCases } from '../cases/race.cases.js';
import { nodeApp } from './app.js';
import { describeServer, type RunningServer, startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-races-'));
const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
});
const start = async (env: Record<string, string>) => {
  const server = await startServer(env);
  servers.push(server);
  return server;
};
const over =
  (url: string): Fetcher =>
  (path, init) =>
    fetch(`${url}${path}`, init);

describe('in one process (app.request)', async () => {
  raceCases((await nodeApp()).fetcher);
});

describeServer('over real HTTP to one server process', async () => {
  const server = await start({ DATABASE_URL: `file:${join(dir, 'one.db')}` });
  raceCases(over(server.url));
});

describeServer('over real HTTP to WEB_CONCURRENCY=2 processes on one port and one file', async () => {
  const server = await start({ DATABASE_URL: `file:${join(dir, 'cluster.db')}`, WEB_CONCURRENCY: '2' });
  raceCases(over(server.url));
});

describeServer('alternating between two independent server processes on one file', async () => {
  const url = `file:${join(dir, 'shared.db')}`;
  const a = await start({ DATABASE_URL: url });
  const b = await start({ DATABASE_URL: url });
  let turn = 0;
  raceCases((path, init) => fetch(`${(turn++ % 2 === 0 ? a : b).url}${path}`, init));
});
