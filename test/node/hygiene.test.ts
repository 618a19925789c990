import { corsCases, secureHeaderCases } from '../cases/hygiene.cases.js';
import { nodeApp } from './app.js';

secureHeaderCases((await nodeApp()).fetcher);
corsCases(
  (await nodeApp({ CORS_ORIGINS: 'https://shop.example', ADMIN_TOKEN: 'node-cors-admin-token-0123456' })).fetcher,
);
