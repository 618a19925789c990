import { inventoryCases } from '../cases/inventory.cases.js';
import { workersApp } from './app.js';

const token = 'workers-inventory-admin-token';
inventoryCases(workersApp({ ADMIN_TOKEN: token }), token);
