import { classicCases } from '../cases/classic.cases.js';
import { healthCases } from '../cases/health.cases.js';
import { nodeApp } from './app.js';

const { fetcher } = await nodeApp();
healthCases(fetcher);
classicCases(fetcher);
