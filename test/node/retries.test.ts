import { manualClock } from '../cases/clock.js';
import { conditionalCases } from '../cases/conditional.cases.js';
import { expiryCases } from '../cases/expiry.cases.js';
import { idempotencyCases } from '../cases/idempotency.cases.js';
import { nodeApp } from './app.js';

const clock = manualClock();
const { fetcher, db } = await nodeApp({ CART_TTL_DAYS: '30' }, clock.now);
conditionalCases(fetcher);
idempotencyCases(fetcher, db, clock);
expiryCases(fetcher, db, clock);
