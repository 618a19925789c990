import { stockCheckoutCases } from '../cases/stock-checkout.cases.js';
import { workersApp } from './app.js';

const token = 'workers-stock-admin-token-00';
const settings = { ADMIN_TOKEN: token, PRICES: 'client' };
stockCheckoutCases({ track: workersApp({ ...settings, INVENTORY: 'track' }), none: workersApp(settings) }, token);
