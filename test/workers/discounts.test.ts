import { manualClock } from '../cases/clock.js';
import { discountCases } from '../cases/discounts.cases.js';
import { workersApp } from './app.js';

const token = 'workers-discounts-admin-token';
const clock = manualClock();
discountCases(workersApp({ ADMIN_TOKEN: token }, clock.now), token, clock);
