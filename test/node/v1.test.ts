import { typedClientCases } from '../cases/client.cases.js';
import { v1Cases } from '../cases/v1.cases.js';
import { nodeApp } from './app.js';

const { fetcher } = await nodeApp();
v1Cases(fetcher);
typedClientCases(fetcher);
