import { eventStore } from '../../src/data/events.js';
import { purgeExpired } from '../../src/data/purge.js';
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
const fetcher = workersApp(
  {
    PRICES: 'catalog',
    ADMIN_TOKEN: token,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: secret,
    WEBHOOK_MAX_ATTEMPTS: '3',
  },
  clock.now,
);
webhookCases(() => ({
  fetcher,
  token,
  secret,
  events: eventStore(workersDb()),
  receiver,
  clock,
  maxAttempts: 3,
  purge: (now: number) => purgeExpired(workersDb(), now),
}));
