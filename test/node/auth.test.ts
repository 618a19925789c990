import { classicAuthCases } from '../cases/auth.cases.js';
import { nodeApp } from './app.js';

const token = 'node-test-admin-token-0123456789';
const { fetcher } = await nodeApp({ ADMIN_TOKEN: token });
classicAuthCases(fetcher, token);
