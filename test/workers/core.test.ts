import { env, SELF } from 'cloudflare:test';
import { cloudflareClientAddress, storeFor } from '../../src/runtime/workers/index.js';
import { bookmarkCases } from '../cases/bookmark.cases.js';
import type { Fetcher } from '../cases/client.js';
import { authorizationFirstCases, creationKeyCases, oneCartCases } from '../cases/core.cases.js';
import { inputCases } from '../cases/input.cases.js';
import { rulesAgreeCases } from '../cases/rules-agree.cases.js';
import { workersApp } from './app.js';

const worker: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
const token = 'workers-core-admin-token-0123456789';
// This file's D1 is its own, shared by these cases in any order (oneCartCases empties the default cart it fills).
oneCartCases(worker);
authorizationFirstCases(workersApp({ ADMIN_TOKEN: token }), token);
const viaCloudflare = (client: string) => ({ 'cf-connecting-ip': client });
creationKeyCases(workersApp({}, undefined, { clientAddress: cloudflareClientAddress }), viaCloudflare);
creationKeyCases(
  workersApp({ ADMIN_TOKEN: token }, undefined, { clientAddress: cloudflareClientAddress }),
  viaCloudflare,
  token,
);
inputCases(worker);
rulesAgreeCases(() => storeFor(env.DB));
bookmarkCases(worker, 'd1');
