import { fuzzCases } from '../cases/fuzz.cases.js';
import { nodeApp } from './app.js';

fuzzCases((await nodeApp()).fetcher);
