import { roundTripCases } from '../cases/round-trips.cases.js';
import { nodeApp } from './app.js';

const { db } = await nodeApp();
roundTripCases(() => db);
