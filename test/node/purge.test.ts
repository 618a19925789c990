import { purgeBatchCases } from '../cases/purge.cases.js';
import { nodeApp } from './app.js';

const { db } = await nodeApp();
purgeBatchCases(() => db);
