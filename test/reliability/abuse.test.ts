import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningServer, startServer } from '../node/server.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-abuse-'));
let server: RunningServer;
let port: number;
beforeAll(async () => {
  port = await freePort();
  server = await startServer({ DATABASE_URL: `file:${join(dir, 'cart.db')}`, PORT: String(port), LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  await server.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A raw TCP client: writes what it is told, resolves with what the server sent and when it closed. */
function rawClient(onConnect: (socket: Socket) => void) {
  return new Promise<{ received: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => onConnect(socket));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ received }));
  });
}

describe('abusive clients', () => {
  it('refuses a body declared over 64 KiB with 413 before reading it', async () => {
    const { received } = await rawClient((socket) => {
      socket.write(
        'POST /v1/carts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n{"currency":',
      );
    });
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received).toContain('/problems/body-too-large');
  });

  it('refuses a chunked body once it passes 64 KiB, without waiting for the rest', async () => {
    const chunk = 'x'.repeat(16 * 1024);
    const { received } = await rawClient((socket) => {
      socket.write(
        'POST /v1/carts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      for (let i = 0; i < 6; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      // Never sends the final 0-length chunk.
    });
    expect(received).toMatch(/^HTTP\/1\.1 413/);
  });

  /** Sends `head`, then one `drop` a second, up to `drops` of them, while the connection stays open. */
  async function slowClient(head: string, drop: string, drops: number) {
    let sent = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    const { received } = await rawClient((socket) => {
      socket.write(head);
      timer = setInterval(() => {
        if (++sent < drops) socket.write(drop);
      }, 1000);
    });
    clearInterval(timer);
    return { received, sent };
  }

  it('cuts off a client that sends its headers too slowly (headers timeout)', { timeout: 30_000 }, async () => {
    // The client would go on for a minute; the server answers 408 and closes first.
    const { received, sent } = await slowClient('GET /healthz HTTP/1.1\r\n', 'X-Slow: 1\r\n', 60);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(sent).toBeLessThan(60);
  });

  it('cuts off a client that sends its body too slowly (request timeout)', { timeout: 60_000 }, async () => {
    // A byte a second of a 1,000-byte body: the server answers 408 long before the end.
    const head = 'POST /v1/carts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const { received, sent } = await slowClient(head, ' ', 1000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(sent).toBeLessThan(1000);
  });

  it('keeps serving real requests while 2,000 idle connections are open', { timeout: 30_000 }, async () => {
    const idle: Socket[] = [];
    await Promise.all(
      Array.from(
        { length: 2000 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve());
            socket.on('error', () => resolve());
            idle.push(socket);
          }),
      ),
    );
    try {
      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`http://127.0.0.1:${port}/v1/carts`, { method: 'POST' }).then((r) => r.status),
        ),
      );
      expect(replies.every((status) => status === 201)).toBe(true);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});
