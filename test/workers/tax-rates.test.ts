import { taxRateCases } from '../cases/tax-rates.cases.js';
import { workersApp } from './app.js';

const token = 'workers-tax-rates-admin-token-0';
taxRateCases(workersApp({ ADMIN_TOKEN: token }), token);
