import { checkoutCases } from '../cases/checkout.cases.js';
import { workersApp } from './app.js';

const token = 'workers-checkout-admin-token-0';
checkoutCases(workersApp({ PRICES: 'catalog', ADMIN_TOKEN: token }), token);
