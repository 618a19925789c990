import { createScheduledController, env } from 'cloudflare:test';
import worker from '../../src/runtime/workers/index.js';
import { manualClock } from '../cases/clock.js';
import { conditionalCases } from '../cases/conditional.cases.js';
import { expiryCases } from '../cases/expiry.cases.js';
import { idempotencyCases } from '../cases/idempotency.cases.js';
import { workersApp, workersDb } from './app.js';

const clock = manualClock();
const fetcher = workersApp({ CART_TTL_DAYS: '30' }, clock.now);
conditionalCases(fetcher);
idempotencyCases(fetcher, workersDb(), clock);
// Purge through the Worker's own scheduled handler, at the moved time.
expiryCases(fetcher, workersDb(), clock, async (now) => {
  await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '*/15 * * * *' }), env);
});
