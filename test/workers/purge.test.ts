import { purgeBatchCases } from '../cases/purge.cases.js';
import { workersDb } from './app.js';

purgeBatchCases(workersDb);
