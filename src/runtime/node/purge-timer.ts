import { type Logger, loggableError } from '../../platform/logger.js';

/**
 * Runs `purge` every `intervalMs`, logging what it removed, or why it
 * failed (as loggableError allows: never the SQL or its values). The timer
 * does not keep the process alive.
 *
 * @example
 * const stop = startPurgeTimer(() => purgeExpired(db, Date.now()), 60_000, log);
 */
export function startPurgeTimer(purge: () => Promise<object>, intervalMs: number, log: Logger) {
  const timer = setInterval(() => {
    purge().then(
      (purged) => log.info('purged', { ...purged }),
      (error: unknown) => log.error('purge failed', loggableError(error)),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
