import { describe } from 'vitest';
import { adminCases, adminDisabledCases } from '../cases/admin.cases.js';
import { nodeApp } from './app.js';

const token = 'node-admin-token-0123456789abcdef';
const stillClock = (await nodeApp({ ADMIN_TOKEN: token }, () => Date.UTC(2026, 10, 27, 12))).fetcher;
adminCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token, stillClock);
const open = await nodeApp();
describe('without ADMIN_TOKEN', () => adminDisabledCases(open.fetcher));
