import { orderLifecycleCases } from '../cases/order-lifecycle.cases.js';
import { workersApp } from './app.js';

const token = 'workers-lifecycle-admin-token';
orderLifecycleCases(workersApp({ PRICES: 'client', ADMIN_TOKEN: token }), token);
