import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * `describe` for tests that run the built server as a process. npm run mutate
 * (EDGECART_MUTATION=1) skips them: they run dist/, where no mutant is ever
 * active, so they can kill none and would only make every run slower.
 */
export const describeServer = (name: string, factory: () => void | Promise<void>) =>
  process.env.EDGECART_MUTATION === '1'
    ? describe.skip(name, () => {})
    : // Starting processes takes seconds on a loaded machine: 30 s a test unless it says otherwise.
      describe(name, { timeout: 30_000 }, factory);

export const SERVER_ENTRY = fileURLToPath(new URL('../../dist/node.js', import.meta.url));

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts the built server on a free port and waits for its "listening" log line. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', PRICES: 'client', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  // A fixed PORT (and a quiet LOG_LEVEL) means no "listening" line to wait for: poll /healthz instead.
  const port =
    env.PORT !== undefined
      ? await pollHealth(Number(env.PORT), () => log, child)
      : await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
          const check = () => {
            const match = /"message":"listening"[^\n]*"port":(\d+)/.exec(log);
            if (match) {
              clearTimeout(timer);
              resolve(Number(match[1]));
            }
          };
          child.stdout?.on('data', check);
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`server exited with ${code}:\n${log}`));
          });
        });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => log,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function runToExit(
  env: Record<string, string>,
  entry = 'node.js',
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(`../../dist/${entry}`, import.meta.url))], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', PRICES: 'client', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

async function pollHealth(port: number, log: () => string, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return port;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer on port ${port}:\n${log()}`);
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
