import { authKeyCases } from '../cases/auth-keys.cases.js';
import { workersApp } from './app.js';

authKeyCases(async (env) => workersApp(env));
