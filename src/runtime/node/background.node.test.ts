import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../data/events.js';
import { createLogger } from '../../platform/logger.js';
import { startDispatcher } from './dispatcher.js';
import { startPurgeTimer } from './purge-timer.js';

/** A failed query as drizzle throws it: its message holds the SQL text and the bound values. */
const failedQuery = () =>
  new DrizzleQueryError(
    'update events set status = ? where id = ?',
    ['leased', 'evt_SECRETSECRET'],
    new Error('SQLITE_BUSY: database is locked'),
  );

/** A logger whose lines this test reads, and a wait for the first error line. */
function capture() {
  const lines: string[] = [];
  const log = createLogger('info', { out: (line) => lines.push(line), err: (line) => lines.push(line) });
  const firstError = async () => {
    for (let waited = 0; waited < 5_000 && !lines.some((line) => line.includes('"error"')); waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    return lines.find((line) => line.includes('"level":"error"')) ?? '';
  };
  return { log, firstError };
}

describe('background work logs a failed query without its SQL or values', () => {
  it('the webhook dispatcher, when the store is locked', async () => {
    const { log, firstError } = capture();
    const events = { claim: () => Promise.reject(failedQuery()) } as unknown as EventStore;
    const config = { WEBHOOK_URL: 'http://127.0.0.1:9/hooks', WEBHOOK_SECRET: 'whsec_x', WEBHOOK_MAX_ATTEMPTS: 3 };
    const dispatcher = startDispatcher({ events, config, log, pollMs: 10 });
    const line = await firstError();
    await dispatcher.stop();
    expect(JSON.parse(line)).toMatchObject({
      message: 'event delivery round failed',
      error: 'Error: SQLITE_BUSY: database is locked',
    });
    expect(line).not.toContain('evt_SECRET');
    expect(line).not.toContain('update events');
  });

  it('the purge timer, when the store is locked', async () => {
    const { log, firstError } = capture();
    const stop = startPurgeTimer(() => Promise.reject(failedQuery()), 10, log);
    const line = await firstError();
    stop();
    expect(JSON.parse(line)).toMatchObject({
      message: 'purge failed',
      error: 'Error: SQLITE_BUSY: database is locked',
    });
    expect(line).not.toContain('evt_SECRET');
    expect(line).not.toContain('update events');
  });
});

describe('the purge timer', () => {
  it('logs what each run removed, and runs no more once stopped', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    let runs = 0;
    const stop = startPurgeTimer(
      async () => {
        runs += 1;
        return { carts: 2, idempotencyKeys: 1, events: 0 };
      },
      5,
      log,
    );
    for (let waited = 0; waited < 5_000 && lines.length === 0; waited += 5) await new Promise((r) => setTimeout(r, 5));
    stop();
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'info',
      message: 'purged',
      carts: 2,
      idempotencyKeys: 1,
      events: 0,
    });
    const after = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after);
  });
});
