import { manualClock } from '../cases/clock.js';
import { reserveCases } from '../cases/reserve.cases.js';
import { workersApp } from './app.js';

const token = 'workers-reserve-admin-token-';
const settings = { ADMIN_TOKEN: token, PRICES: 'client' };
const clock = manualClock();
reserveCases(
  {
    reserve: workersApp({ ...settings, INVENTORY: 'reserve' }, clock.now),
    track: workersApp({ ...settings, INVENTORY: 'track' }, clock.now),
    none: workersApp(settings, clock.now),
  },
  token,
  clock,
);
