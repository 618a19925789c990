import { shippingRateCases } from '../cases/shipping-rates.cases.js';
import { workersApp } from './app.js';

const token = 'workers-shipping-rates-admin-token';
shippingRateCases(workersApp({ ADMIN_TOKEN: token }), token);
