import { SELF } from 'cloudflare:test';
import { typedClientCases } from '../cases/client.cases.js';
import type { Fetcher } from '../cases/client.js';
import { problemWordsCases } from '../cases/problems.cases.js';
import { v1Cases } from '../cases/v1.cases.js';
import { workersApp } from './app.js';

const fetcher: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
v1Cases(fetcher);
typedClientCases(fetcher);
const guardToken = 'workers-problems-admin-token-0123';
problemWordsCases(fetcher, workersApp({ ADMIN_TOKEN: guardToken }), guardToken);
