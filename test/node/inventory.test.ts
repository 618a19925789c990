import { inventoryCases } from '../cases/inventory.cases.js';
import { nodeApp } from './app.js';

const token = 'node-inventory-admin-token-0';
inventoryCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
