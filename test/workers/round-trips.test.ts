import { roundTripCases } from '../cases/round-trips.cases.js';
import { workersDb } from './app.js';

roundTripCases(workersDb);
