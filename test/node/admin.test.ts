import { describe } from 'vitest';
import { adminCases, adminDisabledCases } from '../cases/admin.cases.js';
import { nodeApp } from './app.js';

const token = 'node-admin-token-0123456789abcdef';
adminCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
const open = await nodeApp();
describe('without ADMIN_TOKEN', () => adminDisabledCases(open.fetcher));
