import { taxRateCases } from '../cases/tax-rates.cases.js';
import { nodeApp } from './app.js';

const token = 'node-tax-rates-admin-token-0';
taxRateCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
