import { checkoutCases } from '../cases/checkout.cases.js';
import { nodeApp } from './app.js';

const token = 'node-checkout-admin-token-0123';
checkoutCases((await nodeApp({ PRICES: 'catalog', ADMIN_TOKEN: token })).fetcher, token);
