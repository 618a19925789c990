import { orderLifecycleCases } from '../cases/order-lifecycle.cases.js';
import { nodeApp } from './app.js';

const token = 'node-lifecycle-admin-token-00';
orderLifecycleCases((await nodeApp({ PRICES: 'client', ADMIN_TOKEN: token })).fetcher, token);
