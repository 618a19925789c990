import { discountEdgeCases } from '../cases/discount-edges.cases.js';
import { nodeApp } from './app.js';

const token = 'node-discount-edges-admin-token';
discountEdgeCases((await nodeApp({ ADMIN_TOKEN: token })).fetcher, token);
