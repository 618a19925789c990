import { classicAuthCases } from '../cases/auth.cases.js';
import { workersApp } from './app.js';

const token = 'workers-test-admin-token-0123456789';
classicAuthCases(workersApp({ ADMIN_TOKEN: token }), token);
