import { clientPriceHardeningCases, hardeningCases, openClassicHardeningCases } from '../cases/hardening.cases.js';
import { workersApp } from './app.js';

const token = 'workers-hardening-admin-token-0';
hardeningCases(workersApp({ PRICES: 'catalog', ADMIN_TOKEN: token }), token);
clientPriceHardeningCases(workersApp({ PRICES: 'client' }));
openClassicHardeningCases(workersApp({ PRICES: 'catalog' }));
