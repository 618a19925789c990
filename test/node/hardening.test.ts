import { clientPriceHardeningCases, hardeningCases } from '../cases/hardening.cases.js';
import { nodeApp } from './app.js';

const token = 'node-hardening-admin-token-0123';
hardeningCases((await nodeApp({ PRICES: 'catalog', ADMIN_TOKEN: token })).fetcher, token);
clientPriceHardeningCases((await nodeApp({ PRICES: 'client' })).fetcher);
