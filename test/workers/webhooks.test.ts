import { loadConfig } from '../../src/config.js';
import { eventStore } from '../../src/data/events.js';
import { purgeEventsOf, purgeExpired } from '../../src/data/purge.js';
import { manualClock } from '../cases/clock.js';
import { type Receiver, webhookCases } from '../cases/webhooks.cases.js';
import { workersApp, workersDb } from './app.js';

/** A receiver the Worker's delivery calls in place of the network (workerd has none here). */
function stubReceiver(): Receiver {
  const received: Receiver['received'] = [];
  const script: number[] = [];
  return {
    url: 'https://hooks.example/receive',
    received,
    script,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
      return new Response(null, { status: script.shift() ?? 200 });
    },
  };
}

const token = 'workers-webhooks-admin-token-0';
const secret = `whsec_${btoa('workers webhook secret, 32 bytes')}`;
// Standard Webhooks receivers check the signing time against their own clock: start at the real now.
const clock = manualClock(Date.now());
const receiver = stubReceiver();
const settings = {
  PRICES: 'catalog',
  ADMIN_TOKEN: token,
  WEBHOOK_URL: receiver.url,
  WEBHOOK_SECRET: secret,
  WEBHOOK_MAX_ATTEMPTS: '3',
  // Not the default (7): the purge must take the configured count.
  EVENT_RETENTION_DAYS: '3',
};
const fetcher = workersApp(settings, clock.now);
// The purge as the scheduled handler runs it: with the event settings of its configuration.
const purgeEvents = purgeEventsOf(loadConfig(settings));
webhookCases(() => ({
  fetcher,
  token,
  secret,
  events: eventStore(workersDb()),
  receiver,
  clock,
  maxAttempts: 3,
  retentionDays: 3,
  purge: (now: number) => purgeExpired(workersDb(), now, undefined, undefined, purgeEvents),
}));
