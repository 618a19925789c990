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
// This file's D1 is its own; oneCartCases fills its default cart to the line limit, so it runs last of those using it.
authorizationFirstCases(workersApp({ ADMIN_TOKEN: token }), token);
oneCartCases(worker);
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
