import { SELF } from 'cloudflare:test';
import { corsCases, secureHeaderCases } from '../cases/hygiene.cases.js';
import { workersApp } from './app.js';

secureHeaderCases((path, init) => SELF.fetch(`http://edgecart.test${path}`, init));
corsCases(workersApp({ CORS_ORIGINS: 'https://shop.example', ADMIN_TOKEN: 'workers-cors-admin-token-01234' }));
