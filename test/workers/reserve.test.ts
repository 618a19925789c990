import { manualClock } from '../cases/clock.js';
import { customerKey, reserveCases } from '../cases/reserve.cases.js';
import { workersApp } from './app.js';

const token = 'workers-reserve-admin-token-';
const settings = { ADMIN_TOKEN: token, PRICES: 'client' };
const clock = manualClock();
const key = await customerKey();
reserveCases(
  {
    reserve: workersApp({ ...settings, INVENTORY: 'reserve', AUTH_PUBLIC_KEY: key.pem }, clock.now),
    track: workersApp({ ...settings, INVENTORY: 'track' }, clock.now),
    none: workersApp(settings, clock.now),
  },
  token,
  clock,
  key.token,
);
