import { exportSPKI } from 'jose';
import { algorithmCases, customerCases } from '../cases/customers.cases.js';
import { AUDIENCE, ISSUER, testKey, tokenMaker } from '../cases/tokens.js';
import { workersApp } from './app.js';

// Keys made here; the Worker takes the public one as AUTH_PUBLIC_KEY.
const key = await testKey('k1');
const stranger = await testKey('k1');
const token = 'workers-customers-admin-token';
const fetcher = workersApp({
  ADMIN_TOKEN: token,
  AUTH_PUBLIC_KEY: await exportSPKI(key.publicKey),
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
});
customerCases(
  fetcher,
  token,
  tokenMaker(() => key, stranger),
);

algorithmCases(async (env) => workersApp(env));
