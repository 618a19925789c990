import { typedClientCases } from '../cases/client.cases.js';
import { problemWordsCases } from '../cases/problems.cases.js';
import { v1Cases } from '../cases/v1.cases.js';
import { nodeApp } from './app.js';

const { fetcher } = await nodeApp();
v1Cases(fetcher);
typedClientCases(fetcher);
const guardToken = 'node-problems-admin-token-0123';
problemWordsCases(fetcher, (await nodeApp({ ADMIN_TOKEN: guardToken })).fetcher, guardToken);
