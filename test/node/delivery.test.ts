import { deliveryCases } from '../cases/delivery.cases.js';
import { nodeApp } from './app.js';

const token = 'node-delivery-admin-token';
deliveryCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
