import { SELF } from 'cloudflare:test';
import { describe } from 'vitest';
import { adminCases, adminDisabledCases } from '../cases/admin.cases.js';
import { workersApp } from './app.js';

const token = 'workers-admin-token-0123456789abcdef';
adminCases(workersApp({ ADMIN_TOKEN: token }), token);
describe('without ADMIN_TOKEN', () =>
  adminDisabledCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init)));
