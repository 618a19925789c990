import { catalogCases } from '../cases/catalog.cases.js';
import { workersApp } from './app.js';

const token = 'workers-catalog-admin-token-01';
catalogCases(workersApp({ PRICES: 'catalog', ADMIN_TOKEN: token }), token);
