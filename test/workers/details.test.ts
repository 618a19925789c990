import { detailsCases } from '../cases/details.cases.js';
import { workersApp } from './app.js';

detailsCases(workersApp({ PRICES: 'client' }));
