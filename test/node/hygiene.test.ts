import { corsCases, secureHeaderCases } from '../cases/hygiene.cases.js';
import { nodeApp } from './app.js';

secureHeaderCases((await nodeApp()).fetcher);
corsCases((await nodeApp({ CORS_ORIGINS: 'https://shop.example' })).fetcher);
