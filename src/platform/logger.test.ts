import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, loggableError } from './logger.js';

describe('loggableError', () => {
  it('logs a failed query as the driver’s error only: no SQL text, no bound parameters', () => {
    const cause = new Error('D1_ERROR: too many SQL variables at offset 560: SQLITE_ERROR');
    const error = new DrizzleQueryError('select * from carts where id = ?', ['crt_SECRETSECRETSECRETSEC'], cause);
    const logged = JSON.stringify(loggableError(error));
    expect(logged).toContain('too many SQL variables');
    expect(logged).not.toContain('crt_SECRET');
    expect(logged).not.toContain('select');
    expect(logged).not.toContain('Failed query');
  });

  it('keeps the name, message and stack frames of any other error', () => {
    const logged = loggableError(new TypeError('boom'));
    expect(logged.error).toBe('TypeError: boom');
    expect(logged.stack).toMatch(/^\s+at /);
  });
});

describe('createLogger', () => {
  it('writes one JSON line per call from its level up, info to out and warn up to err', () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = createLogger('info', { out: (line) => out.push(line), err: (line) => err.push(line) });
    log.debug('hidden');
    log.info('shown', { n: 1 });
    log.error('bad');
    expect(out.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'info', message: 'shown', n: 1 }),
    ]);
    expect(err.map((line) => JSON.parse(line).message)).toEqual(['bad']);
    expect(log.enabled('debug')).toBe(false);
    expect(log.enabled('warn')).toBe(true);
  });
});
