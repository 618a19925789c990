import { catalogCases } from '../cases/catalog.cases.js';
import { nodeApp } from './app.js';

const token = 'node-catalog-admin-token-0123';
catalogCases((await nodeApp({ PRICES: 'catalog', ADMIN_TOKEN: token })).fetcher, token);
