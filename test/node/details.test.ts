import { detailsCases } from '../cases/details.cases.js';
import { nodeApp } from './app.js';

detailsCases((await nodeApp({ PRICES: 'client' })).fetcher);
