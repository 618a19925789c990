import { SELF } from 'cloudflare:test';
import { describe } from 'vitest';
import { adminCases, adminDisabledCases } from '../cases/admin.cases.js';
import { workersApp } from './app.js';

const token = 'workers-admin-token-0123456789abcdef';
// A clock that never moves, years before the shared D1's other carts: its carts list first, all in one millisecond.
const stillClock = workersApp({ ADMIN_TOKEN: token }, () => Date.UTC(2020, 0, 1));
adminCases(workersApp({ ADMIN_TOKEN: token }), token, stillClock);
describe('without ADMIN_TOKEN', () =>
  adminDisabledCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init)));
