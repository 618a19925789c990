import { shippingRateCases } from '../cases/shipping-rates.cases.js';
import { nodeApp } from './app.js';

const token = 'node-shipping-rates-admin-token';
shippingRateCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
