import type { AppConfig } from '../../config.js';
import type { EventStore } from '../../data/events.js';
import { dispatchDue } from '../../events/dispatch.js';
import type { Deliver } from '../../events/webhook.js';
import { type Logger, loggableError } from '../../platform/logger.js';

/** Events a round claims at most. */
const ROUND = 20;

/**
 * The in-process webhook dispatcher of a Node server (API.md §6): it delivers
 * due events round after round, sleeps `pollMs` when none is due, and wakes
 * at once when a request commits one. Every server process runs one: claims
 * are leases in the store, so they never send the same attempt twice, and an
 * event a killed process had claimed is taken again when its lease ends.
 * `stop()` ends the loop after the deliveries in flight (SIGTERM).
 *
 * @example
 * const dispatcher = startDispatcher({ events, config, log });
 * app = createApp({ …, announce: () => dispatcher.wake() });
 */
export function startDispatcher(options: {
  events: EventStore;
  config: Pick<AppConfig, 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'WEBHOOK_MAX_ATTEMPTS'>;
  log: Logger;
  now?: () => number;
  fetch?: Deliver;
  pollMs?: number;
}) {
  const {
    events,
    config,
    log,
    now = Date.now,
    fetch: deliver = (input, init) => fetch(input, init),
    pollMs = 1000,
  } = options;
  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopping) {
      let claimed = 0;
      try {
        const attempts = await dispatchDue({ events, config, fetch: deliver, now }, ROUND);
        claimed = attempts.length;
        for (const attempt of attempts) {
          if (attempt.delivered) log.info('event delivered', { event: attempt.id });
          else log.warn('event not delivered', { event: attempt.id, retry: attempt.retryAt !== null });
        }
      } catch (error) {
        // The store may be busy or closing: the next round tries again.
        log.error('event delivery round failed', loggableError(error));
      }
      if (claimed > 0 || stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();
  return {
    /** Delivers now rather than at the next poll. */
    wake: () => wake?.(),
    /** Stops claiming; resolves once the deliveries in flight are recorded. */
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}

export type Dispatcher = ReturnType<typeof startDispatcher>;
