import { discountEdgeCases } from '../cases/discount-edges.cases.js';
import { workersApp } from './app.js';

const token = 'workers-discount-edges-admin-token';
discountEdgeCases(workersApp({ ADMIN_TOKEN: token }), token);
