import { deliveryCases } from '../cases/delivery.cases.js';
import { workersApp } from './app.js';

const token = 'workers-delivery-admin-token';
deliveryCases(workersApp({ ADMIN_TOKEN: token }), token);
